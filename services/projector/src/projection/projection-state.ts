import type { EventEnvelope } from '@flagpole/domain';
import {
  approvalPolicyView,
  auditEntryOf,
  changeRequestView,
  environmentView,
  flagEnvironmentView,
  flagView,
  positionOf,
  ProjectionError,
  projectEvent,
  segmentView,
  tokenView,
  type AggregatePosition,
  type AggregateRecord,
  type ApprovalPolicyView,
  type ChangeRequestView,
  type DiffEntry,
  type EnvironmentView,
  type FlagEnvironmentView,
  type FlagView,
  type SegmentView,
  type TokenView,
} from '@flagpole/read-model';
import { copyField } from './copy-in';
import type { ChainPosition, IncomingEvent } from './sequencer';

/** The audit trail's columns in the order AuditRows writes them (COPY's column list). */
export const AUDIT_COPY_COLUMNS = [
  'sequence',
  'event_id',
  'event_type',
  'aggregate_type',
  'aggregate_id',
  'version',
  'time',
  'actor_id',
  'actor_name',
  'reason',
  'correlation_id',
  'change_request_id',
  'diff',
  'prev_hash',
  'hash',
  'kafka_partition',
  'kafka_offset',
  'payload',
] as const;

const COPY_CHUNK = 1 << 20;

/** Everything one Postgres transaction writes for a run of consecutive events. */
export interface ProjectionBatch {
  readonly events: readonly IncomingEvent[];
  /** The head the batch builds on: the write only commits if Postgres still has it. */
  readonly from: ChainPosition;
  readonly to: ChainPosition;
  /** Audit rows in COPY text format, in chunks (each event's payload spliced in verbatim). */
  readonly auditRows: readonly Buffer[];
  readonly environments: readonly EnvironmentView[];
  readonly flags: readonly FlagView[];
  readonly flagEnvironments: readonly FlagEnvironmentView[];
  readonly segments: readonly SegmentView[];
  readonly tokens: readonly TokenView[];
  readonly approvalPolicies: readonly ApprovalPolicyView[];
  readonly changeRequests: readonly ChangeRequestView[];
  readonly positions: readonly AggregatePosition[];
  /** Per partition, the offset after the last event of this batch read from it. */
  readonly appliedOffsets: ReadonlyMap<number, bigint>;
  readonly staged: ReadonlyMap<string, AggregateRecord>;
}

export interface BuildResult {
  /** The events before the first that could not be projected; absent when there are none. */
  readonly batch?: ProjectionBatch;
  readonly failure?: { readonly incoming: IncomingEvent; readonly error: ProjectionError };
}

/**
 * The projector's working state: every aggregate's record, as committed to Postgres. A batch is
 * built against a staging layer; while Postgres writes it (`stage`), the next batch is built on
 * top of it, and it only becomes the state once Postgres committed — a failed write leaves
 * nothing half-applied in memory either.
 */
export class ProjectionState {
  private pending?: ReadonlyMap<string, AggregateRecord>;

  constructor(private readonly records: Map<string, AggregateRecord>) {}

  get aggregates(): number {
    return this.records.size;
  }

  record(aggregateId: string): AggregateRecord | undefined {
    return this.pending?.get(aggregateId) ?? this.records.get(aggregateId);
  }

  build(events: readonly IncomingEvent[], from: ChainPosition): BuildResult {
    const builder = this.batch(from);
    for (const incoming of events) if (!builder.add(incoming)) break;
    return builder.finish();
  }

  /** A batch built event by event (the pipeline pauses between events to let I/O through). */
  batch(from: ChainPosition): BatchBuilder {
    return new BatchBuilder((id) => this.record(id), from);
  }

  /** The batch is being written: the next one builds on top of it. */
  stage(batch: ProjectionBatch): void {
    this.pending = batch.staged;
  }

  /** Postgres committed the batch: it is the state now. */
  commit(batch: ProjectionBatch): void {
    for (const [id, record] of batch.staged) this.records.set(id, record);
    if (this.pending === batch.staged) this.pending = undefined;
  }

  /** The staged batch will not be committed (the state is about to be reloaded). */
  discard(): void {
    this.pending = undefined;
  }
}

/** One batch in the making: `add` events in sequence order, then `finish`. */
export class BatchBuilder {
  private readonly staged = new Map<string, AggregateRecord>();
  private readonly flagEnvironments = new Map<string, FlagEnvironmentView>();
  // Per partition, the offset of the last event taken from it (made a bigint once, at the end).
  private readonly lastOffsets = new Map<number, string>();
  private readonly audit = new AuditRows();
  private readonly applied: IncomingEvent[] = [];
  private failure?: BuildResult['failure'];

  constructor(
    private readonly recordOf: (aggregateId: string) => AggregateRecord | undefined,
    private readonly from: ChainPosition,
  ) {}

  /** Projects one more event into the batch; false, and nothing more is taken, once one cannot be. */
  add(incoming: IncomingEvent): boolean {
    if (this.failure) return false;
    let event;
    let projected;
    try {
      // Parsed from the record here, once (RecordEvent): the parsed object lives only as long as this.
      event = parsedEvent(incoming);
      projected = projectEvent(this.staged.get(event.aggregateId) ?? this.recordOf(event.aggregateId), event);
    } catch (error) {
      if (!(error instanceof ProjectionError)) throw error;
      this.failure = { incoming, error };
      return false;
    }
    this.staged.set(event.aggregateId, projected.record);
    if (projected.environment !== undefined) {
      const view = flagEnvironmentView(projected.record, projected.environment);
      if (view) this.flagEnvironments.set(`${view.flagKey}\u0000${view.environment}`, view);
    }
    this.audit.add(incoming, event, projected.diff);
    this.lastOffsets.set(incoming.partition, incoming.offset);
    this.applied.push(incoming);
    return true;
  }

  finish(): BuildResult {
    const { applied, failure, staged } = this;
    if (applied.length === 0) return failure ? { failure } : {};
    const appliedOffsets = new Map([...this.lastOffsets].map(([partition, offset]) => [partition, BigInt(offset) + 1n]));
    const records = [...staged.values()];
    const last = applied[applied.length - 1]!.head;
    const batch: ProjectionBatch = {
      events: applied,
      from: this.from,
      to: { sequence: last.sequence, hash: last.hash },
      auditRows: this.audit.finish(),
      environments: defined(records.map(environmentView)),
      flags: defined(records.map(flagView)),
      flagEnvironments: [...this.flagEnvironments.values()],
      segments: defined(records.map(segmentView)),
      tokens: defined(records.map(tokenView)),
      approvalPolicies: defined(records.map(approvalPolicyView)),
      changeRequests: defined(records.map(changeRequestView)),
      positions: records.map(positionOf),
      appliedOffsets,
      staged,
    };
    return failure ? { batch, failure } : { batch };
  }
}

/**
 * Audit rows in COPY text format, written straight into ~1 MB buffers (no per-row string of the
 * whole line, no join, no second UTF-8 encoding: at a million events that copying was a tenth of
 * the projector's CPU). The payload is the record value exactly as read from Kafka, spliced in
 * rather than re-serialised: cheaper, and nothing of the original can be lost. When the record's
 * bytes are at hand and need no COPY escaping (JSON.stringify output never holds raw tabs or
 * newlines; a backslash is rare), they are copied as they are.
 */
class AuditRows {
  private readonly chunks: Buffer[] = [];
  private buffer = Buffer.allocUnsafe(COPY_CHUNK);
  private used = 0;

  add(incoming: IncomingEvent, event: EventEnvelope, diff: readonly DiffEntry[]): void {
    const e = auditEntryOf(event, diff, { partition: incoming.partition, offset: incoming.offset });
    const head =
      `${e.sequence}\t${copyField(e.eventId)}\t${copyField(e.eventType)}\t${copyField(e.aggregateType)}\t${copyField(e.aggregateId)}\t${e.version}\t` +
      `${copyField(e.time)}\t${copyField(e.actorId)}\t${copyField(e.actorName)}\t${copyField(e.reason)}\t${copyField(e.correlationId)}\t` +
      `${copyField(e.changeRequestId)}\t${copyField(JSON.stringify(e.diff))}\t${copyField(e.prevHash)}\t${copyField(e.hash)}\t${e.partition}\t${copyField(e.offset)}\t`;
    const bytes = incoming.bytes !== undefined && copySafe(incoming.bytes) ? incoming.bytes : undefined;
    const payload = bytes === undefined ? copyField(incoming.raw) : '';
    // UTF-8 takes at most three bytes per UTF-16 code unit.
    this.reserve(3 * head.length + (bytes?.length ?? 3 * payload.length) + 1);
    this.used += this.buffer.write(head, this.used, 'utf8');
    this.used += bytes === undefined ? this.buffer.write(payload, this.used, 'utf8') : bytes.copy(this.buffer, this.used);
    this.buffer[this.used++] = 0x0a;
  }

  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    this.flush();
    this.buffer = Buffer.allocUnsafe(Math.max(COPY_CHUNK, bytes));
  }

  private flush(): void {
    if (this.used === 0) return;
    this.chunks.push(this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}

/** No byte COPY's text format would read specially: backslash, newline, carriage return, tab. */
function copySafe(bytes: Buffer): boolean {
  return bytes.indexOf(0x5c) === -1 && bytes.indexOf(0x0a) === -1 && bytes.indexOf(0x0d) === -1 && bytes.indexOf(0x09) === -1;
}

function defined<T>(values: readonly (T | undefined)[]): T[] {
  return values.filter((v): v is T => v !== undefined);
}

/** The incoming event, or — should its record not be JSON after all — a refusal rather than a crash. */
function parsedEvent(incoming: IncomingEvent): IncomingEvent['event'] {
  try {
    return incoming.event;
  } catch (error) {
    throw new ProjectionError('invalid_event', `the record of event ${incoming.head.sequence} is not JSON: ${(error as Error).message}`);
  }
}
