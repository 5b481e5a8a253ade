import { createHash } from 'node:crypto';
import type { Decision } from '../decide';
import { meta } from '../testing/decider-spec';
import type { EventEnvelope } from './event-envelope.types';
import { checkChainLink, computeEventHash, GENESIS_HASH } from './hash-chain';
import { stampEvents } from './stamp-events';

const decision: Decision = {
  aggregateType: 'flag',
  aggregateId: 'flag:checkout',
  baseVersion: 4,
  events: [
    { type: 'FlagToggled', data: { environment: 'production', on: true } },
    { type: 'FlagToggled', data: { environment: 'staging', on: true } },
    { type: 'FlagArchived', data: {} },
  ],
};

const HEAD = { lastSequence: 41, lastHash: 'f'.repeat(64) };

function ids(): () => string {
  let n = 0;
  return () => `evt-${++n}`;
}

function stamp(d: Decision = decision, head = HEAD): EventEnvelope[] {
  return stampEvents(d, meta({ reason: 'launch', changeRequestId: 'cr-7' }), head, ids());
}

describe('stampEvents', () => {
  it('numbers events on from the head and links each to the hash of the one before', () => {
    const [a, b, c] = stamp();
    expect([a.sequence, b.sequence, c.sequence]).toEqual([42, 43, 44]);
    expect(a.prevHash).toBe(HEAD.lastHash);
    expect(b.prevHash).toBe(a.hash);
    expect(c.prevHash).toBe(b.hash);
    expect(new Set([a.hash, b.hash, c.hash]).size).toBe(3);
    for (const e of [a, b, c]) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the events consecutive aggregate versions after the base version, and the command’s provenance', () => {
    const [first, , last] = stamp();
    expect(first).toEqual({
      id: 'evt-1',
      type: 'FlagToggled',
      aggregateType: 'flag',
      aggregateId: 'flag:checkout',
      version: 5,
      time: '2025-01-15T10:00:00.000Z',
      actor: { id: 'user-ada', name: 'Ada Lovelace' },
      reason: 'launch',
      correlationId: 'corr-1',
      changeRequestId: 'cr-7',
      sequence: 42,
      prevHash: HEAD.lastHash,
      data: { environment: 'production', on: true },
      hash: computeEventHash({ ...first, hash: 'ignored' }),
    });
    expect(last).toMatchObject({ id: 'evt-3', type: 'FlagArchived', version: 7, sequence: 44 });
  });

  it('records a missing reason and change request as null', () => {
    const [e] = stampEvents(decision, meta(), HEAD, ids());
    expect(e.reason).toBeNull();
    expect(e.changeRequestId).toBeNull();
  });

  it('starts a new chain at sequence 1 on the genesis hash', () => {
    const [e] = stamp(decision, { lastSequence: 0, lastHash: GENESIS_HASH });
    expect(e).toMatchObject({ sequence: 1, prevHash: '0'.repeat(64) });
    expect(checkChainLink(0, GENESIS_HASH, e)).toBeUndefined();
  });

  it('stamps nothing for a decision without events', () => {
    expect(stamp({ ...decision, events: [] })).toEqual([]);
  });

  it('produces a chain that checkChainLink accepts link by link', () => {
    const events = stamp();
    let last = { sequence: HEAD.lastSequence, hash: HEAD.lastHash };
    for (const e of events) {
      expect(checkChainLink(last.sequence, last.hash, e)).toBeUndefined();
      last = { sequence: e.sequence, hash: e.hash };
    }
  });
});

describe('computeEventHash', () => {
  const [event] = stamp();

  it('is SHA-256 over prevHash followed by the RFC 8785 canonical JSON of the envelope without hash', () => {
    const { hash: _hash, ...rest } = event;
    const canonical =
      '{"actor":{"id":"user-ada","name":"Ada Lovelace"},"aggregateId":"flag:checkout","aggregateType":"flag","changeRequestId":"cr-7",' +
      '"correlationId":"corr-1","data":{"environment":"production","on":true},"id":"evt-1",' +
      `"prevHash":"${HEAD.lastHash}","reason":"launch","sequence":42,"time":"2025-01-15T10:00:00.000Z","type":"FlagToggled","version":5}`;
    expect(computeEventHash(rest)).toBe(createHash('sha256').update(HEAD.lastHash + canonical).digest('hex'));
  });

  it('is stable under key order, at every depth', () => {
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as EventEnvelope;
    const withReorderedData = { ...reordered, data: { on: true, environment: 'production' }, actor: { name: 'Ada Lovelace', id: 'user-ada' } } as EventEnvelope;
    expect(computeEventHash(withReorderedData)).toBe(event.hash);
  });

  it('ignores the hash field itself', () => {
    expect(computeEventHash({ ...event, hash: 'anything' })).toBe(event.hash);
  });

  it('changes with any field, including prevHash', () => {
    expect(computeEventHash({ ...event, prevHash: '1'.repeat(64) })).not.toBe(event.hash);
    expect(computeEventHash({ ...event, version: 6 })).not.toBe(event.hash);
    expect(computeEventHash({ ...event, data: { environment: 'production', on: false } } as EventEnvelope)).not.toBe(event.hash);
  });
});

describe('checkChainLink', () => {
  const [first, second] = stamp();

  it('accepts an intact link', () => {
    expect(checkChainLink(42, first.hash, second)).toBeUndefined();
  });

  it('detects a sequence gap', () => {
    expect(checkChainLink(40, HEAD.lastHash, first)).toEqual({ kind: 'sequence_gap', expected: 41, found: 42 });
  });

  it('detects a repeated sequence', () => {
    expect(checkChainLink(42, first.hash, first)).toEqual({ kind: 'sequence_gap', expected: 43, found: 42 });
  });

  it('detects a prevHash that does not match the previous hash', () => {
    const otherHead = 'e'.repeat(64);
    expect(checkChainLink(41, otherHead, first)).toEqual({ kind: 'prev_hash_mismatch', sequence: 42, expected: otherHead, found: HEAD.lastHash });
  });

  it('detects an edited payload', () => {
    const edited = { ...second, data: { environment: 'staging', on: false } } as EventEnvelope;
    expect(checkChainLink(42, first.hash, edited)).toEqual({
      kind: 'hash_mismatch',
      sequence: 43,
      expected: computeEventHash(edited),
      found: second.hash,
    });
  });

  it('detects edited provenance, such as the actor', () => {
    const edited = { ...second, actor: { id: 'user-eve', name: 'Eve' } };
    expect(checkChainLink(42, first.hash, edited)).toMatchObject({ kind: 'hash_mismatch', sequence: 43, found: second.hash });
  });

  it('detects an edit re-hashed by the forger through the next link', () => {
    const forged = { ...first, data: { environment: 'production', on: false } } as EventEnvelope;
    const rehashed = { ...forged, hash: computeEventHash(forged) };
    expect(checkChainLink(41, HEAD.lastHash, rehashed)).toBeUndefined();
    expect(checkChainLink(42, rehashed.hash, second)).toEqual({ kind: 'prev_hash_mismatch', sequence: 43, expected: rehashed.hash, found: first.hash });
  });
});
