import { checkChainLink, type EventEnvelope } from '@flagpole/domain';
import { fastEventHash } from '@flagpole/read-model';
import { headOf, type EventHead } from './record-check';

/** One event as read from a partition; `raw` is the record value, stored verbatim in the audit trail. */
export interface IncomingEvent {
  readonly partition: number;
  readonly offset: string;
  /** What places the event in the chain; everything here reads this rather than `event`. */
  readonly head: EventHead;
  /** The whole event. May be parsed from the record on each access (see RecordEvent): read it once, when applying it. */
  readonly event: EventEnvelope;
  readonly raw: string;
  /** The same record value as bytes, when at hand: copied into the audit row without re-encoding `raw`. */
  readonly bytes?: Buffer;
}

/** An IncomingEvent from an event at hand (tests, tools): parsed already, `raw` its JSON unless given. */
export function incomingEvent(partition: number, offset: string, event: EventEnvelope, raw = JSON.stringify(event)): IncomingEvent {
  return { partition, offset, head: headOf(event), event, raw };
}

export interface ChainPosition {
  readonly sequence: number;
  readonly hash: string;
}

export type RefusalKind = 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'conflict' | 'version_gap' | 'invalid_event';

/** Why the projector will not apply an event, and which one. It stops there until someone acts. */
export interface Refusal {
  readonly kind: RefusalKind;
  readonly sequence: number;
  readonly eventId: string;
  readonly partition: number;
  readonly offset: string;
  readonly message: string;
  readonly expected?: string | number;
  readonly found?: string | number;
}

export type OfferOutcome = 'buffered' | 'duplicate' | 'conflict';

/**
 * Puts events from interleaved partitions back into global `sequence` order and checks every
 * link of the hash chain before anything is applied (see README, "Chain checking across
 * partitions").
 *
 * An aggregate's events share a partition, and the writer appends in sequence order, so within a
 * partition sequences only rise. Hence: once a partition has delivered sequence s, it cannot
 * still hold anything below s. That tells which partitions may hold the next sequence (must keep
 * reading) and which cannot (may be paused when the buffer is full), and proves a gap is real when
 * no partition can fill it.
 */
export class Sequencer {
  private head: ChainPosition;
  private readonly buffer = new Map<number, IncomingEvent>();
  /**
   * Whether each buffered event hashes to its own recorded hash, worked out as it arrives: the
   * costliest part of the check then runs while Postgres writes the previous batch.
   */
  private readonly intact = new Map<number, boolean>();
  private readonly lastSeen = new Map<number, number>();
  private refusal_?: Refusal;

  constructor(head: ChainPosition) {
    this.head = head;
  }

  get position(): ChainPosition {
    return this.head;
  }

  get buffered(): number {
    return this.buffer.size;
  }

  get refusal(): Refusal | undefined {
    return this.refusal_;
  }

  /**
   * Takes an event in. At or below the head it was applied already; it is dropped. `intact`:
   * whether it hashes to its own recorded hash, when that was worked out already (RecordChecker,
   * on another thread); else it is worked out here.
   */
  offer(incoming: IncomingEvent, intact?: boolean): OfferOutcome {
    const { sequence } = incoming.head;
    const seen = this.lastSeen.get(incoming.partition);
    if (seen === undefined || sequence > seen) this.lastSeen.set(incoming.partition, sequence);
    if (sequence <= this.head.sequence) return 'duplicate';
    const held = this.buffer.get(sequence);
    if (held) {
      // Same hash and intact: the same event, even if re-serialised with other key order or spacing.
      if (held.head.hash === incoming.head.hash && (held.raw === incoming.raw || fastEventHash(incoming.event) === incoming.head.hash)) return 'duplicate';
      this.refuse({
        kind: 'conflict',
        sequence,
        eventId: incoming.head.id,
        partition: incoming.partition,
        offset: incoming.offset,
        message: `two different events claim sequence ${sequence} (partition ${held.partition} offset ${held.offset}, partition ${incoming.partition} offset ${incoming.offset})`,
        expected: held.head.hash,
        found: incoming.head.hash,
      });
      return 'conflict';
    }
    this.buffer.set(sequence, incoming);
    this.intact.set(sequence, intact ?? fastEventHash(incoming.event) === incoming.head.hash);
    return 'buffered';
  }

  /**
   * The events that extend the chain from the head, in order, at most `max`, each link checked.
   * Stops before the first event that does not link, and records why (the refusal sticks).
   * Nothing is consumed until `advance`, so a failed write can simply be retried. `after` lets
   * the next batch be prepared while the previous one (ending at `after`) is being written.
   */
  ready(max: number, after: ChainPosition = this.head): IncomingEvent[] {
    const out: IncomingEvent[] = [];
    if (this.refusal_) return out;
    let last = after;
    while (out.length < max) {
      const next = this.buffer.get(last.sequence + 1);
      if (!next) break;
      const { head } = next;
      const linked = head.sequence === last.sequence + 1 && head.prevHash === last.hash && this.intact.get(head.sequence) === true;
      // Anything short of a clean link is judged by the domain's own check, which also says why.
      const broken = linked ? undefined : checkChainLink(last.sequence, last.hash, next.event);
      if (broken) {
        this.refuse({
          kind: broken.kind,
          sequence: head.sequence,
          eventId: head.id,
          partition: next.partition,
          offset: next.offset,
          message: describeBreak(broken.kind, head.sequence),
          expected: broken.expected,
          found: broken.found,
        });
        break;
      }
      out.push(next);
      last = { sequence: head.sequence, hash: head.hash };
    }
    return out;
  }

  /** The events were applied (committed to Postgres): drop them and move the head. */
  advance(applied: readonly IncomingEvent[]): void {
    for (const incoming of applied) {
      const { sequence, hash } = incoming.head;
      if (sequence !== this.head.sequence + 1) throw new Error(`advance out of order: head ${this.head.sequence}, event ${sequence}`);
      this.buffer.delete(sequence);
      this.intact.delete(sequence);
      this.head = { sequence, hash };
    }
  }

  refuse(refusal: Refusal): void {
    this.refusal_ ??= refusal;
  }

  /** Someone else moved the head (a rebuild swapped tables in): continue from theirs. */
  reset(head: ChainPosition): void {
    this.head = head;
    this.refusal_ = undefined;
    for (const sequence of [...this.buffer.keys()]) {
      if (sequence > head.sequence) continue;
      this.buffer.delete(sequence);
      this.intact.delete(sequence);
    }
  }

  /** The sequence the chain waits for, when something later is already buffered. */
  get waitingFor(): number | undefined {
    if (this.buffer.size === 0 || this.buffer.has(this.head.sequence + 1)) return undefined;
    return this.head.sequence + 1;
  }

  /** Partitions that cannot hold the next sequence: they already delivered a later one. */
  partitionsPastNext(partitions: Iterable<number>): number[] {
    const next = this.head.sequence + 1;
    return [...partitions].filter((p) => (this.lastSeen.get(p) ?? -1) > next);
  }

  /**
   * Offset of the earliest buffered (not yet applied) event of a partition, if any. Records
   * arrive in offset order per partition and the map keeps insertion order, so the first match
   * is the earliest.
   */
  firstBufferedOffset(partition: number): bigint | undefined {
    for (const incoming of this.buffer.values()) if (incoming.partition === partition) return BigInt(incoming.offset);
    return undefined;
  }

  /** Like firstBufferedOffset, among events later than `sequence` (those about to be applied excluded). */
  firstBufferedOffsetAfter(partition: number, sequence: number): bigint | undefined {
    for (const incoming of this.buffer.values()) {
      if (incoming.partition === partition && incoming.head.sequence > sequence) return BigInt(incoming.offset);
    }
    return undefined;
  }

  lastSequenceSeen(partition: number): number | undefined {
    return this.lastSeen.get(partition);
  }
}

function describeBreak(kind: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch', sequence: number): string {
  switch (kind) {
    case 'hash_mismatch':
      return `event ${sequence} does not hash to its recorded hash: it was altered after it was written`;
    case 'prev_hash_mismatch':
      return `event ${sequence} does not link to the hash of the event before it`;
    case 'sequence_gap':
      return `event ${sequence} is out of sequence`;
  }
}
