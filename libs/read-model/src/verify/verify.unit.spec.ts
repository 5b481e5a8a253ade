import { computeEventHash, type EventEnvelope } from '@flagpole/domain';
import { canonicalize } from 'json-canonicalize';
import { generateHistory } from '../../test/support/history';
import type { AuditEntry } from '../model/read-model.types';
import { auditEntryOf } from '../projection/project-event';
import { canonicalJson, checkChainLinkFast, fastEventHash } from './canonical-json';
import { verifyAuditTrail, verifyEventLog, type LogRecord } from './verify-chain';

const history = generateHistory(300, { seed: 3 });
const rows = (): AuditEntry[] => history.map((e, i) => auditEntryOf(e, [], { partition: i % 3, offset: String(i) }));
/** The same event with its recorded hash recomputed, as a forger covering an edit would. */
const rehash = (e: EventEnvelope): EventEnvelope => ({ ...e, hash: computeEventHash(e) });

describe('canonicalJson', () => {
  it('writes exactly what json-canonicalize (RFC 8785) writes, for every event of a realistic history', () => {
    for (const event of generateHistory(2000, { seed: 9 })) expect(canonicalJson(event)).toBe(canonicalize(event));
  });

  it('agrees on the awkward cases: key order by UTF-16 units, escapes, numbers, nesting', () => {
    const values: unknown[] = [
      { b: 1, a: 2, '': 3, A: 4, é: 5, '\u{1F600}': 6, '\uFFFF': 7, 'a"b': 8, 'new\nline': 9 },
      [1e21, 1e-7, 0.1 + 0.2, -0, 123456789012345680000, 5e-324, -1.5],
      { s: 'tab\t "quote" \\ back \u2028 \u0001 \u00e9 \ud83d\ude00' },
      { nested: [[], {}, [{}], { z: [null, true, false] }] },
      'plain',
      null,
    ];
    for (const value of values) expect(canonicalJson(value)).toBe(canonicalize(value));
  });

  it('hashes events as computeEventHash does, and the fast link check agrees with the domain check', () => {
    let last = { sequence: 0, hash: '0'.repeat(64) };
    for (const event of history) {
      expect(fastEventHash(event)).toBe(computeEventHash(event));
      expect(checkChainLinkFast(last.sequence, last.hash, event)).toBeUndefined();
      last = { sequence: event.sequence, hash: event.hash };
    }
    const edited = { ...history[1]!, reason: 'edited' };
    expect(checkChainLinkFast(1, history[0]!.hash, edited)).toMatchObject({ kind: 'hash_mismatch', sequence: 2 });
  });
});

describe('verifyAuditTrail', () => {
  it('accepts an intact trail and reports its head', () => {
    const result = verifyAuditTrail(rows(), { expectedHead: { sequence: history.length, hash: history[history.length - 1]!.hash } });
    expect(result).toEqual({ ok: true, checked: history.length, head: { sequence: history.length, hash: history[history.length - 1]!.hash } });
  });

  it('names an event whose payload was edited', () => {
    const trail = rows();
    trail[41] = { ...trail[41]!, payload: { ...trail[41]!.payload, reason: 'nothing to see' } };
    expect(verifyAuditTrail(trail).problem).toMatchObject({ kind: 'edited', sequence: 42, field: 'hash' });
  });

  it('names an event that was edited and re-hashed, through the next event’s link', () => {
    const trail = rows();
    const forged = rehash({ ...trail[41]!.payload, actor: { id: 'token:eve', name: 'Eve' } });
    trail[41] = { ...auditEntryOf(forged, [], { partition: 0, offset: '41' }) };
    const result = verifyAuditTrail(trail);
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ kind: 'edited', sequence: 42 });
    expect(result.problem?.message).toContain('re-hashed');
    expect(result.checked).toBe(42);
  });

  it('names a column edited in Postgres though the payload is intact', () => {
    const trail = rows();
    trail[9] = { ...trail[9]!, actorName: 'Mallory' };
    expect(verifyAuditTrail(trail).problem).toMatchObject({ kind: 'edited', sequence: 10, field: 'actor_name', found: 'Mallory' });
  });

  it('names a deleted row as missing', () => {
    const trail = rows();
    trail.splice(99, 2);
    expect(verifyAuditTrail(trail).problem).toMatchObject({ kind: 'missing', sequence: 100, expected: 100, found: 102 });
    expect(verifyAuditTrail(trail).problem?.message).toContain('events 100..101 are missing');
  });

  it('names a row holding another event as reordered', () => {
    const trail = rows();
    trail[20] = { ...trail[21]!, sequence: 21 };
    expect(verifyAuditTrail(trail).problem).toMatchObject({ kind: 'reordered', sequence: 21, found: 22 });
  });

  it('catches a deleted tail only against an expected head', () => {
    const trail = rows().slice(0, 250);
    expect(verifyAuditTrail(trail).ok).toBe(true);
    expect(verifyAuditTrail(trail, { expectedHead: { sequence: 300 } }).problem).toMatchObject({ kind: 'missing', sequence: 251 });
  });

  it('requires the chain to start from the genesis hash', () => {
    const trail = rows();
    trail[0] = auditEntryOf(rehash({ ...trail[0]!.payload, prevHash: 'f'.repeat(64) }), [], { partition: 0, offset: '0' });
    expect(verifyAuditTrail(trail).problem).toMatchObject({ kind: 'edited', sequence: 1, field: 'prevHash' });
  });
});

describe('verifyEventLog', () => {
  const records = (): LogRecord[] => history.map((event, i) => ({ partition: i % 3, offset: String(i), event }));

  it('accepts partitions interleaved in any way, and tolerates identical redeliveries', () => {
    const log = records();
    const interleaved = [...log.filter((r) => r.partition === 2), ...log.filter((r) => r.partition !== 2), log[7]!];
    const result = verifyEventLog(interleaved);
    expect(result).toMatchObject({ ok: true, checked: history.length, duplicates: 1 });
  });

  it('names an event whose hash does not hold', () => {
    const log = records();
    log[150] = { ...log[150]!, event: { ...log[150]!.event, time: '2030-01-01T00:00:00.000Z' } };
    expect(verifyEventLog(log).problem).toMatchObject({ kind: 'edited', sequence: 151, partition: log[150]!.partition });
  });

  it('names a sequence going backwards within a partition as reordered', () => {
    const log = records();
    const inPartition = log.filter((r) => r.partition === 1);
    const [a, b] = [inPartition[3]!, inPartition[4]!];
    const swapped = log.map((r) => (r === a ? { ...b, offset: a.offset } : r === b ? { ...a, offset: b.offset } : r));
    expect(verifyEventLog(swapped).problem).toMatchObject({ kind: 'reordered', sequence: a.event.sequence, partition: 1 });
  });

  it('names a missing event and a conflicting copy', () => {
    const log = records();
    expect(verifyEventLog(log.filter((r) => r.event.sequence !== 77)).problem).toMatchObject({ kind: 'missing', sequence: 77 });
    const conflicting = [...log, { partition: 0, offset: '999', event: rehash({ ...log[10]!.event, reason: 'other' }) }];
    expect(verifyEventLog(conflicting).problem).toMatchObject({ kind: 'conflict', sequence: 11 });
  });
});
