import { computeEventHash, GENESIS_HASH, type EventEnvelope } from '@flagpole/domain';
import { fastEventHash } from './canonical-json';
import type { AuditEntry } from '../model/read-model.types';

/**
 * - `missing`: a sequence number is absent (deleted event or audit row, or a truncated tail);
 * - `reordered`: an event sits where another sequence belongs (a row holding another event, or a
 *   partition whose sequences go backwards);
 * - `edited`: an event's content no longer matches its hash, a re-hashed event no longer matches
 *   the next event's `prevHash`, or an audit row's columns disagree with the event it holds;
 * - `conflict`: two different events claim the same sequence.
 */
export type ChainProblemKind = 'missing' | 'reordered' | 'edited' | 'conflict';

export interface ChainProblem {
  readonly kind: ChainProblemKind;
  /** The sequence the problem is about: the first missing one, the edited one, the misplaced one. */
  readonly sequence: number;
  readonly message: string;
  readonly eventId?: string;
  /** For `edited`: the field or column that disagrees. */
  readonly field?: string;
  readonly expected?: string | number;
  readonly found?: string | number;
  /** Where the offending record sits, when verifying records read from Kafka. */
  readonly partition?: number;
  readonly offset?: string;
}

export interface ChainHead {
  readonly sequence: number;
  readonly hash: string;
}

export interface ChainVerification {
  readonly ok: boolean;
  /** Events checked before the first problem (all of them when ok). */
  readonly checked: number;
  /** The last intact link. */
  readonly head: ChainHead;
  readonly problem?: ChainProblem;
}

export interface Located {
  readonly partition?: number;
  readonly offset?: string;
}

/**
 * Walks events in ascending sequence order and stops at the first thing wrong. Incremental, so
 * callers can page through millions of audit rows; pure, so the control plane's verify route,
 * the projector and an auditor's script all reach the same verdict.
 */
export class ChainVerifier {
  private head: ChainHead;
  private previous?: EventEnvelope;
  private count = 0;
  private problem?: ChainProblem;

  constructor(from: ChainHead = { sequence: 0, hash: GENESIS_HASH }) {
    this.head = from;
  }

  get failed(): ChainProblem | undefined {
    return this.problem;
  }

  /** Checks the next event; returns the problem (the first one sticks and later events are ignored). */
  push(event: EventEnvelope, where: Located = {}): ChainProblem | undefined {
    if (this.problem) return this.problem;
    const problem = this.check(event, where);
    if (problem) {
      this.problem = problem;
      return problem;
    }
    this.head = { sequence: event.sequence, hash: event.hash };
    this.previous = event;
    this.count += 1;
    return undefined;
  }

  /** Records a problem found outside the chain itself (an audit column, a partition's order). */
  fail(problem: ChainProblem): ChainProblem {
    this.problem ??= problem;
    return this.problem;
  }

  /**
   * The verdict. With `expectedHead` (the log's last sequence, or the projection head) a tail
   * deleted after the last surviving event is caught too: the chain alone cannot see it.
   */
  finish(expectedHead?: { readonly sequence: number; readonly hash?: string }): ChainVerification {
    if (!this.problem && expectedHead) {
      if (this.head.sequence < expectedHead.sequence) {
        this.problem = {
          kind: 'missing',
          sequence: this.head.sequence + 1,
          message: `events ${this.head.sequence + 1}..${expectedHead.sequence} are missing at the end (the chain stops at ${this.head.sequence})`,
          expected: expectedHead.sequence,
          found: this.head.sequence,
        };
      } else if (this.head.sequence > expectedHead.sequence) {
        this.problem = {
          kind: 'conflict',
          sequence: expectedHead.sequence + 1,
          message: `the chain goes on to ${this.head.sequence}, beyond the expected head ${expectedHead.sequence}`,
          expected: expectedHead.sequence,
          found: this.head.sequence,
        };
      } else if (expectedHead.hash !== undefined && expectedHead.hash !== this.head.hash) {
        this.problem = {
          kind: 'edited',
          sequence: this.head.sequence,
          field: 'hash',
          message: `event ${this.head.sequence} hashes to ${this.head.hash}, but the expected head is ${expectedHead.hash}`,
          expected: expectedHead.hash,
          found: this.head.hash,
        };
      }
    }
    return { ok: this.problem === undefined, checked: this.count, head: this.head, ...(this.problem ? { problem: this.problem } : {}) };
  }

  private check(event: EventEnvelope, where: Located): ChainProblem | undefined {
    const expected = this.head.sequence + 1;
    const at = { eventId: event.id, ...where };
    if (event.sequence < expected) {
      return { kind: 'reordered', sequence: event.sequence, message: `event ${event.sequence} comes after event ${this.head.sequence}`, expected, found: event.sequence, ...at };
    }
    if (event.sequence > expected) {
      const last = event.sequence - 1;
      const which = last === expected ? `event ${expected} is` : `events ${expected}..${last} are`;
      return { kind: 'missing', sequence: expected, message: `${which} missing (event ${event.sequence} follows event ${this.head.sequence})`, expected, found: event.sequence, ...at };
    }
    // The fast hash settles the usual case; the domain's own function has the last word.
    const recomputed = fastEventHash(event) === event.hash ? event.hash : computeEventHash(event);
    if (recomputed !== event.hash) {
      return {
        kind: 'edited',
        sequence: event.sequence,
        field: 'hash',
        message: `event ${event.sequence} was edited: its content hashes to ${recomputed}, not to its recorded hash ${event.hash}`,
        expected: recomputed,
        found: event.hash,
        ...at,
      };
    }
    if (event.prevHash !== this.head.hash) {
      // This event is intact (it hashes to its own hash), so the link it records is the original
      // one: the event before it was replaced by one with a freshly computed hash.
      if (!this.previous) {
        return {
          kind: 'edited',
          sequence: event.sequence,
          field: 'prevHash',
          message: `event ${event.sequence} does not continue the chain from ${this.head.hash}: it records prevHash ${event.prevHash}`,
          expected: this.head.hash,
          found: event.prevHash,
          ...at,
        };
      }
      return {
        kind: 'edited',
        sequence: this.previous.sequence,
        eventId: this.previous.id,
        field: 'hash',
        message: `event ${this.previous.sequence} was altered and re-hashed: event ${event.sequence} links to ${event.prevHash}, but event ${this.previous.sequence} now hashes to ${this.head.hash}`,
        expected: event.prevHash,
        found: this.head.hash,
      };
    }
    return undefined;
  }
}

/**
 * Verifies the audit trail: rows in ascending `sequence` order (as stored), each row's columns
 * against the event it holds, and the events' sequence and hash chain. Rows may come page by page.
 */
export function verifyAuditTrail(
  rows: Iterable<AuditEntry>,
  options: { readonly from?: ChainHead; readonly expectedHead?: { readonly sequence: number; readonly hash?: string } } = {},
): ChainVerification {
  const verifier = new ChainVerifier(options.from);
  for (const row of rows) if (pushAuditRow(verifier, row)) break;
  return verifier.finish(options.expectedHead);
}

/** One row into a verifier; returns the problem if the verification is now failed. */
export function pushAuditRow(verifier: ChainVerifier, row: AuditEntry): ChainProblem | undefined {
  if (verifier.failed) return verifier.failed;
  const event = row.payload;
  if (event.sequence !== row.sequence) {
    return verifier.fail({
      kind: 'reordered',
      sequence: row.sequence,
      eventId: event.id,
      message: `the audit row at sequence ${row.sequence} holds event ${event.sequence}`,
      expected: row.sequence,
      found: event.sequence,
    });
  }
  // The event first: an edited payload is named as such, not as columns disagreeing with it.
  const broken = verifier.push(event);
  if (broken) return broken;
  // Then the columns queries show: an edit there matters even when the payload is intact.
  const mismatch = columnMismatch(row);
  if (mismatch) {
    return verifier.fail({
      kind: 'edited',
      sequence: row.sequence,
      eventId: event.id,
      field: mismatch.column,
      message: `the audit row at sequence ${row.sequence} was edited: ${mismatch.column} is ${JSON.stringify(mismatch.found)}, the event says ${JSON.stringify(mismatch.expected)}`,
      expected: String(mismatch.expected),
      found: String(mismatch.found),
    });
  }
  return undefined;
}

function columnMismatch(row: AuditEntry): { column: string; expected: unknown; found: unknown } | undefined {
  const e = row.payload;
  const pairs: [string, unknown, unknown][] = [
    ['event_id', e.id, row.eventId],
    ['event_type', e.type, row.eventType],
    ['aggregate_type', e.aggregateType, row.aggregateType],
    ['aggregate_id', e.aggregateId, row.aggregateId],
    ['version', e.version, row.version],
    ['actor_id', e.actor?.id, row.actorId],
    ['actor_name', e.actor?.name, row.actorName],
    ['reason', e.reason, row.reason],
    ['correlation_id', e.correlationId, row.correlationId],
    ['change_request_id', e.changeRequestId, row.changeRequestId],
    ['prev_hash', e.prevHash, row.prevHash],
    ['hash', e.hash, row.hash],
  ];
  for (const [column, expected, found] of pairs) if (expected !== found) return { column, expected, found };
  // The column is a timestamp: compare instants, not spellings.
  if (Date.parse(e.time) !== Date.parse(row.time)) return { column: 'time', expected: e.time, found: row.time };
  return undefined;
}

export interface LogRecord {
  readonly partition: number;
  readonly offset: string;
  readonly event: EventEnvelope;
}

/**
 * Verifies events read straight from Kafka, in any interleaving of partitions but in offset
 * order within each: every partition's sequences must rise (an aggregate's events stay in one
 * partition, in order), identical redeliveries are tolerated, and the events sorted by sequence
 * must form one unbroken chain. Holds the events in memory to sort them.
 */
export function verifyEventLog(
  records: Iterable<LogRecord>,
  options: { readonly expectedHead?: { readonly sequence: number; readonly hash?: string } } = {},
): ChainVerification & { readonly duplicates: number } {
  const verifier = new ChainVerifier();
  const lastInPartition = new Map<number, { sequence: number; offset: string }>();
  const bySequence = new Map<number, LogRecord>();
  let duplicates = 0;
  let failed = false;
  for (const record of records) {
    const { partition, offset, event } = record;
    const seen = bySequence.get(event.sequence);
    if (seen) {
      if (seen.event.hash === event.hash && (fastEventHash(event) === event.hash || computeEventHash(event) === event.hash)) {
        duplicates += 1;
        continue;
      }
      verifier.fail({
        kind: 'conflict',
        sequence: event.sequence,
        eventId: event.id,
        message: `two different events claim sequence ${event.sequence} (partition ${seen.partition} offset ${seen.offset}, partition ${partition} offset ${offset})`,
        expected: seen.event.hash,
        found: event.hash,
        partition,
        offset,
      });
      failed = true;
      break;
    }
    const last = lastInPartition.get(partition);
    if (last && event.sequence < last.sequence) {
      verifier.fail({
        kind: 'reordered',
        sequence: event.sequence,
        eventId: event.id,
        message: `event ${event.sequence} sits at offset ${offset} of partition ${partition}, after event ${last.sequence} (offset ${last.offset})`,
        expected: last.sequence + 1,
        found: event.sequence,
        partition,
        offset,
      });
      failed = true;
      break;
    }
    lastInPartition.set(partition, { sequence: event.sequence, offset });
    bySequence.set(event.sequence, record);
  }
  if (!failed) {
    const ordered = [...bySequence.values()].sort((a, b) => a.event.sequence - b.event.sequence);
    for (const r of ordered) if (verifier.push(r.event, { partition: r.partition, offset: r.offset })) break;
  }
  return { ...verifier.finish(options.expectedHead), duplicates };
}
