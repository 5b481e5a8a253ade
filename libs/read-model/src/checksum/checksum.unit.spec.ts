import { createHash } from 'node:crypto';
import { generateHistory } from '../../test/support/history';
import { prng } from '../../test/support/history-commands';
import type { DiffEntry } from '../diff/json-diff';
import type { AuditEntry, EnvironmentView } from '../model/read-model.types';
import { auditEntryOf } from '../projection/project-event';
import { canonicalJson, canonicalJsonText } from '../verify/canonical-json';
import { auditRowCanonicalJson, ChecksumBuilder, checksumKeys, checksumRow, CHECKSUM_TABLES, type AuditTextRow, type ChecksumTable } from './checksum';

const env = (key: string, name = key): EnvironmentView => ({
  key,
  name,
  description: '',
  production: false,
  version: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  lastSequence: 1,
});

function checksum(environments: EnvironmentView[], audit: AuditEntry[] = []) {
  const builder = new ChecksumBuilder();
  for (const table of CHECKSUM_TABLES) {
    if (table === 'environments') builder.addTable(table, environments, checksumKeys.environments);
    else if (table === 'audit_trail') {
      builder.beginTable(table);
      for (const row of audit) builder.addRow(row.sequence, checksumRow.audit(row));
      builder.endTable();
    } else builder.addTable(table as ChecksumTable, [], () => '');
  }
  return builder.digest();
}

describe('ChecksumBuilder', () => {
  const audit = generateHistory(50, { seed: 1 }).map((e, i) => auditEntryOf(e, [], { partition: i % 3, offset: String(i) }));

  it('is deterministic and independent of the order rows are handed in', () => {
    const a = checksum([env('a'), env('b'), env('c')], audit);
    const b = checksum([env('c'), env('a'), env('b')], audit);
    expect(a).toEqual(b);
    expect(a.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(a.tables.environments.rows).toBe(3);
    expect(a.tables.audit_trail.rows).toBe(50);
  });

  it('changes with any content', () => {
    expect(checksum([env('a'), env('b', 'B')]).checksum).not.toBe(checksum([env('a'), env('b')]).checksum);
    const edited = audit.map((r, i) => (i === 10 ? { ...r, actorName: 'x' } : r));
    expect(checksum([], edited).tables.audit_trail.sha256).not.toBe(checksum([], audit).tables.audit_trail.sha256);
  });

  it('leaves out where the log kept an event: the same history at other offsets has the same checksum', () => {
    const moved = audit.map((r) => ({ ...r, partition: 7, offset: String(Number(r.offset) + 1000) }));
    expect(checksum([], moved)).toEqual(checksum([], audit));
  });

  it('is SHA-256 over canonical rows per table, then over the tables', () => {
    const table = createHash('sha256').update('{"createdAt":"2025-01-01T00:00:00.000Z","description":"","key":"a","lastSequence":1,"name":"a","production":false,"updatedAt":"2025-01-01T00:00:00.000Z","version":1}\n').digest('hex');
    expect(checksum([env('a')]).tables.environments).toEqual({ rows: 1, sha256: table });
  });

  it('refuses rows out of key order and tables left out', () => {
    const builder = new ChecksumBuilder().beginTable('audit_trail').addRow(2, {});
    expect(() => builder.addRow(2, {})).toThrow('ascending key order');
    expect(() => new ChecksumBuilder().digest()).toThrow('missing');
  });
});

describe('the audit rows\' canonical JSON from their text', () => {
  const history = generateHistory(600, { seed: 5 });
  const diff: DiffEntry[] = [{ path: '/environments/production/rules/0', op: 'replace', before: { a: 1, b: [true, null, 'x'] }, after: { b: [], a: 2.5 } }];
  const textRow = (e: AuditEntry, diffText: string, payloadText: string): AuditTextRow => ({
    sequence: String(e.sequence),
    event_id: e.eventId,
    event_type: e.eventType,
    aggregate_type: e.aggregateType,
    aggregate_id: e.aggregateId,
    version: e.version,
    time: new Date(e.time),
    actor_id: e.actorId,
    actor_name: e.actorName,
    reason: e.reason,
    correlation_id: e.correlationId,
    change_request_id: e.changeRequestId,
    diff: diffText,
    prev_hash: e.prevHash,
    hash: e.hash,
    payload: payloadText,
  });

  it('is canonicalJson of the row as the entity path reads it, for text as written and as jsonb prints it', () => {
    for (const [i, event] of history.entries()) {
      const entry = auditEntryOf(event, i % 2 ? diff : [], { partition: 0, offset: String(i) });
      const expected = canonicalJson(checksumRow.audit(entry));
      expect(auditRowCanonicalJson(textRow(entry, JSON.stringify(entry.diff), JSON.stringify(event)))).toBe(expected);
      // jsonb's text: ", " and ": " between members, its own member order.
      const spaced = JSON.stringify(event, null, 1).replace(/\n */g, ' ');
      expect(auditRowCanonicalJson(textRow(entry, JSON.stringify(entry.diff, null, 1).replace(/\n */g, ' '), spaced))).toBe(expected);
    }
  });

  it('canonicalJsonText is canonicalJson(JSON.parse(text)) or declines; never anything else', () => {
    const declined = ['{"a":"\\u00e9"}', '{"a":1.0}', '{"a":1e3}', '{"a":-0}', '{"a":1,"a":2}', '{"a":"\\n"}', '{"a":"x\\"y"}', '{"a":"\u{1F600}"}', '{"a":1}x', '{"a":1,}'];
    for (const text of declined) expect(canonicalJsonText(text)).toBeUndefined();
    for (const text of ['{"b":[1,{"d":null,"c":true}],"a":-12.5,"é":"ü","":{}}', '[]', '"x"', '0', '{"a" : [ 1 , 2 ] , "B" : false}']) {
      expect(canonicalJsonText(text)).toBe(canonicalJson(JSON.parse(text)));
    }
    const random = prng(11);
    const alphabet = '{}[],:" 0123456789.eE-+truefalsn\\';
    for (let n = 0; n < 3000; n++) {
      const text = JSON.stringify(history[Math.floor(random() * history.length)]!);
      const at = Math.floor(random() * text.length);
      const char = alphabet[Math.floor(random() * alphabet.length)]!;
      const edited = n % 2 ? text.slice(0, at) + char + text.slice(at) : text.slice(0, at) + char + text.slice(at + 1);
      let parsed: unknown;
      try {
        parsed = JSON.parse(edited);
      } catch {
        continue; // Postgres's json type only ever holds valid JSON
      }
      const got = canonicalJsonText(edited);
      if (got !== undefined) expect(got).toBe(canonicalJson(parsed));
    }
  });
});

