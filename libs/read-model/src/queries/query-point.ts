import { DomainError, type Problem } from '@flagpole/domain';
import type { EntityManager } from 'typeorm';
import { readProjectionHead } from '../database/read-model-queries';

/**
 * A point in the history: a global event sequence, or a wall-clock time. A time stands for the
 * last event stamped at or before it (the writer stamps events in sequence order; see
 * docs/compliance.md "Points in time").
 */
export type PointInput = { readonly sequence: number } | { readonly time: string };

/** A point resolved against the audit trail: the state "as of" it is every event up to `sequence`. */
export interface ResolvedPoint {
  /** The last event included (0 before the first event). */
  readonly sequence: number;
  /** When that event happened (null before the first event). */
  readonly time: string | null;
  /** What the caller asked for. */
  readonly requested: PointInput;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const SEQUENCE = /^\d{1,15}$/;

/**
 * Reads a point written as text: digits are a sequence, an ISO-8601 date-time with a zone is a
 * time. Returns the problem (naming `field`) rather than throwing, so callers can collect them.
 */
export function parsePoint(raw: unknown, field: string): PointInput | Problem {
  if (typeof raw === 'number') {
    return Number.isSafeInteger(raw) && raw >= 0 ? { sequence: raw } : { field, problem: 'a sequence must be a non-negative integer' };
  }
  if (typeof raw !== 'string' || raw.trim() === '') return { field, problem: 'must be an event sequence (digits) or an ISO-8601 time such as 2025-03-14T14:02:00Z' };
  const text = raw.trim();
  if (SEQUENCE.test(text)) return { sequence: Number(text) };
  return parseTime(text, field);
}

/** An ISO-8601 date-time with an explicit zone (a local time would mean different instants on different servers). */
export function parseTime(raw: unknown, field: string): { readonly time: string } | Problem {
  if (typeof raw !== 'string' || !ISO_TIME.test(raw.trim())) {
    return { field, problem: 'must be an ISO-8601 date-time with a time zone, such as 2025-03-14T14:02:00Z' };
  }
  const ms = Date.parse(raw.trim());
  if (Number.isNaN(ms)) return { field, problem: 'is not a valid date-time' };
  return { time: new Date(ms).toISOString() };
}

/**
 * The point of an as-of request from its `time` and `sequence` parameters: exactly one of them.
 * Throws a 400-style DomainError naming the field otherwise.
 */
export function pointFromParameters(params: { readonly time?: unknown; readonly sequence?: unknown }): PointInput {
  const hasTime = params.time !== undefined && params.time !== '';
  const hasSequence = params.sequence !== undefined && params.sequence !== '';
  if (hasTime && hasSequence) throw DomainError.validation([{ field: 'sequence', problem: 'give either time or sequence, not both' }]);
  if (!hasTime && !hasSequence) throw DomainError.validation([{ field: 'time', problem: 'give time (ISO-8601) or sequence' }]);
  const parsed = hasTime ? parseTime(params.time, 'time') : parseSequence(params.sequence, 'sequence');
  if (isProblem(parsed)) throw DomainError.validation([parsed]);
  return parsed;
}

/** A point given in one field (diff's `from`/`to`, explain's `at`); throws a validation error. */
export function requirePoint(raw: unknown, field: string): PointInput {
  const parsed = parsePoint(raw, field);
  if (isProblem(parsed)) throw DomainError.validation([parsed]);
  return parsed;
}

function parseSequence(raw: unknown, field: string): { readonly sequence: number } | Problem {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !SEQUENCE.test(text.trim())) return { field, problem: 'must be a non-negative integer (an event sequence)' };
  return { sequence: Number(text.trim()) };
}

export function isProblem(value: object): value is Problem {
  return 'problem' in value;
}

/**
 * Resolves a point against the stored audit trail. A sequence beyond what has been projected is
 * refused (400): it has not happened yet, or the projector has not seen it — callers that just
 * wrote it pass their consistency token to wait for it. A time resolves through the time index to
 * the last event at or before it; a time in the future resolves to the head. `field` names the
 * parameter in the 400.
 */
export async function resolvePoint(manager: EntityManager, point: PointInput | undefined, field = 'sequence'): Promise<ResolvedPoint> {
  const head = await readProjectionHead(manager);
  if (point === undefined) return { sequence: head.lastSequence, time: await timeOf(manager, head.lastSequence), requested: { sequence: head.lastSequence } };
  if ('sequence' in point) {
    if (point.sequence > head.lastSequence) {
      throw DomainError.validation([{ field, problem: `event ${point.sequence} has not been projected yet (the audit trail ends at ${head.lastSequence}); pass the consistency token to wait for it` }]);
    }
    return { sequence: point.sequence, time: await timeOf(manager, point.sequence), requested: point };
  }
  const rows: { sequence: string; time: Date }[] = await manager.query(
    'SELECT sequence, time FROM audit_trail WHERE time <= $1 AND sequence <= $2 ORDER BY time DESC, sequence DESC LIMIT 1',
    [point.time, head.lastSequence],
  );
  const row = rows[0];
  return row ? { sequence: Number(row.sequence), time: row.time.toISOString(), requested: point } : { sequence: 0, time: null, requested: point };
}

async function timeOf(manager: EntityManager, sequence: number): Promise<string | null> {
  if (sequence === 0) return null;
  const rows: { time: Date }[] = await manager.query('SELECT time FROM audit_trail WHERE sequence = $1', [sequence]);
  return rows[0]?.time.toISOString() ?? null;
}

/**
 * The clock an evaluation as of this point runs with (`before`/`after` clauses): the time asked
 * for, else the time of the point's event, else now.
 */
export function evaluationClock(point: ResolvedPoint, now: number = Date.now()): number {
  if ('time' in point.requested) return Date.parse(point.requested.time);
  return point.time ? Date.parse(point.time) : now;
}
