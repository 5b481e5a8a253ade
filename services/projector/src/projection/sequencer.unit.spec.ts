import { computeEventHash, GENESIS_HASH, type EventEnvelope } from '@flagpole/domain';
import { generateHistory } from '../../../../libs/read-model/test/support/history';
import { ProjectionState } from './projection-state';
import { incomingEvent, Sequencer, type IncomingEvent } from './sequencer';

const history = generateHistory(200, { seed: 4 });
/** Events spread over three partitions by aggregate, as the writer's keying does. */
const partitionOf = (e: EventEnvelope) => [...e.aggregateId].reduce((n, c) => n + c.charCodeAt(0), 0) % 3;
const incoming = (event: EventEnvelope, offset = event.sequence): IncomingEvent => incomingEvent(partitionOf(event), String(offset), event);
const GENESIS = { sequence: 0, hash: GENESIS_HASH };

describe('Sequencer', () => {
  it('puts interleaved partitions back into sequence order, whatever order they arrive in', () => {
    const sequencer = new Sequencer(GENESIS);
    const byPartition = [0, 1, 2].map((p) => history.filter((e) => partitionOf(e) === p));
    // Partition 2 entirely first, then 0, then 1: the worst case for the buffer.
    for (const p of [2, 0, 1]) for (const e of byPartition[p]!) sequencer.offer(incoming(e));
    const ready = sequencer.ready(1000);
    expect(ready.map((r) => r.event.sequence)).toEqual(history.map((e) => e.sequence));
    sequencer.advance(ready);
    expect(sequencer.position).toEqual({ sequence: 200, hash: history[199]!.hash });
    expect(sequencer.buffered).toBe(0);
  });

  it('hands out nothing past a gap, and says which sequence it waits for', () => {
    const sequencer = new Sequencer(GENESIS);
    for (const e of history.slice(0, 10)) if (e.sequence !== 4) sequencer.offer(incoming(e));
    expect(sequencer.ready(100).map((r) => r.event.sequence)).toEqual([1, 2, 3]);
    expect(sequencer.waitingFor).toBeUndefined(); // 1..3 are still ready
    sequencer.advance(sequencer.ready(100));
    expect(sequencer.waitingFor).toBe(4);
    sequencer.offer(incoming(history[3]!));
    expect(sequencer.ready(100)).toHaveLength(7);
  });

  it('drops events at or below the head and identical copies of buffered ones', () => {
    const sequencer = new Sequencer({ sequence: 5, hash: history[4]!.hash });
    expect(sequencer.offer(incoming(history[2]!))).toBe('duplicate');
    expect(sequencer.offer(incoming(history[7]!))).toBe('buffered');
    expect(sequencer.offer(incoming(history[7]!, 999))).toBe('duplicate');
    expect(sequencer.buffered).toBe(1);
  });

  it('refuses an event whose content no longer matches its hash, after applying what precedes it', () => {
    const sequencer = new Sequencer(GENESIS);
    const tampered = { ...history[5]!, reason: 'forged' } as EventEnvelope;
    for (const e of history.slice(0, 10)) sequencer.offer(incoming(e.sequence === 6 ? tampered : e));
    expect(sequencer.ready(100).map((r) => r.event.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(sequencer.refusal).toMatchObject({ kind: 'hash_mismatch', sequence: 6, eventId: tampered.id, expected: computeEventHash(tampered), found: tampered.hash });
    // The refusal sticks: nothing more is handed out.
    sequencer.advance(sequencer.ready(100));
    expect(sequencer.ready(100)).toEqual([]);
  });

  it('refuses a re-hashed event that no longer links to its predecessor', () => {
    const sequencer = new Sequencer(GENESIS);
    const relinked = { ...history[2]!, prevHash: 'a'.repeat(64) };
    const forged = { ...relinked, hash: computeEventHash(relinked) };
    for (const e of history.slice(0, 5)) sequencer.offer(incoming(e.sequence === 3 ? forged : e));
    expect(sequencer.ready(100)).toHaveLength(2);
    expect(sequencer.refusal).toMatchObject({ kind: 'prev_hash_mismatch', sequence: 3, expected: history[1]!.hash, found: 'a'.repeat(64) });
  });

  it('takes a re-serialised copy of a buffered event (other key order) as a duplicate', () => {
    const sequencer = new Sequencer(GENESIS);
    sequencer.offer(incoming(history[3]!));
    const reordered = Object.fromEntries(Object.entries(history[3]!).reverse()) as EventEnvelope;
    expect(sequencer.offer({ ...incoming(reordered, 500), raw: JSON.stringify(reordered) })).toBe('duplicate');
    expect(sequencer.refusal).toBeUndefined();
  });

  it('refuses two different events claiming one sequence', () => {
    const sequencer = new Sequencer(GENESIS);
    sequencer.offer(incoming(history[3]!));
    expect(sequencer.offer(incoming({ ...history[3]!, reason: 'other' }, 77))).toBe('conflict');
    expect(sequencer.refusal).toMatchObject({ kind: 'conflict', sequence: 4 });
  });

  it('tells which partitions cannot hold the next sequence (they may be paused), and where each must resume', () => {
    const sequencer = new Sequencer(GENESIS);
    const later = history.slice(20).filter((e) => partitionOf(e) !== partitionOf(history[0]!));
    for (const e of later) sequencer.offer(incoming(e));
    const past = sequencer.partitionsPastNext([0, 1, 2]);
    expect(past).not.toContain(partitionOf(history[0]!));
    expect(past.length).toBeGreaterThan(0);
    const p = past[0]!;
    const first = later.find((e) => partitionOf(e) === p)!;
    expect(sequencer.firstBufferedOffset(p)).toBe(BigInt(first.sequence));
  });

  it('a reset to a later head drops what is now applied', () => {
    const sequencer = new Sequencer(GENESIS);
    for (const e of history.slice(0, 10)) sequencer.offer(incoming(e));
    sequencer.reset({ sequence: 8, hash: history[7]!.hash });
    expect(sequencer.buffered).toBe(2);
    expect(sequencer.ready(10).map((r) => r.event.sequence)).toEqual([9, 10]);
  });
});

describe('ProjectionState', () => {
  it('builds batches that only become the state on commit; the next batch builds on a staged one', () => {
    const state = new ProjectionState(new Map());
    const first = state.build(history.slice(0, 50).map((e) => incoming(e)), GENESIS).batch!;
    expect(first.to).toEqual({ sequence: 50, hash: history[49]!.hash });
    expect(state.aggregates).toBe(0);
    state.stage(first);
    const second = state.build(history.slice(50, 100).map((e) => incoming(e)), first.to).batch!;
    expect(second.events).toHaveLength(50);
    state.commit(first);
    state.commit(second);
    expect(state.aggregates).toBe(new Set(history.slice(0, 100).map((e) => e.aggregateId)).size);
    expect(first.auditRows.reduce((n, b) => n + b.toString('utf8').split('\n').length - 1, 0)).toBe(50);
  });

  it('stops at the first event that is not the next version and says why', () => {
    const state = new ProjectionState(new Map());
    const events = history.slice(0, 30).map((e) => incoming(e));
    const jump = { ...history.find((e) => e.aggregateId === 'flag:flag-0')!, version: 99, sequence: 31 };
    const result = state.build([...events, incoming(jump)], GENESIS);
    expect(result.batch?.events).toHaveLength(30);
    expect(result.failure?.error.kind).toBe('version_gap');
  });

  it('writes one row per touched aggregate, the last state of each, and per-partition resume offsets', () => {
    const state = new ProjectionState(new Map());
    const batch = state.build(history.map((e, i) => ({ ...incoming(e), partition: i % 2, offset: String(i) })), GENESIS).batch!;
    expect(new Set(batch.flags.map((f) => f.key)).size).toBe(batch.flags.length);
    expect(batch.positions).toHaveLength(new Set(history.map((e) => e.aggregateId)).size);
    expect(batch.appliedOffsets).toEqual(new Map([[0, 199n], [1, 200n]]));
  });

  describe('with hash verdicts worked out elsewhere (the record-check worker)', () => {
    it('refuses on a negative verdict once the domain check agrees, applying what precedes the event and nothing after it', () => {
      const sequencer = new Sequencer(GENESIS);
      const tampered = { ...history[5]!, reason: 'forged' } as EventEnvelope;
      for (const e of history.slice(0, 10)) sequencer.offer(incoming(e.sequence === 6 ? tampered : e), e.sequence !== 6);
      expect(sequencer.ready(100).map((r) => r.event.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(sequencer.refusal).toMatchObject({ kind: 'hash_mismatch', sequence: 6, eventId: tampered.id, expected: computeEventHash(tampered), found: tampered.hash });
      sequencer.advance(sequencer.ready(100));
      expect(sequencer.ready(100)).toEqual([]);
    });

    it('cannot be made to refuse an intact event by a wrong negative verdict: the domain check decides', () => {
      const sequencer = new Sequencer(GENESIS);
      for (const e of history.slice(0, 3)) sequencer.offer(incoming(e), false);
      expect(sequencer.ready(100)).toHaveLength(3);
      expect(sequencer.refusal).toBeUndefined();
    });

    it('checks the link to the previous event itself, whatever the verdict says', () => {
      const sequencer = new Sequencer(GENESIS);
      const altered = { ...history[1]!, prevHash: 'f'.repeat(64) };
      sequencer.offer(incoming(history[0]!), true);
      sequencer.offer(incoming(altered), true);
      expect(sequencer.ready(100)).toHaveLength(1);
      expect(sequencer.refusal).toMatchObject({ kind: 'prev_hash_mismatch', sequence: 2 });
    });
  });
});
