import {
  auditEntryOf,
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
    const staged = new Map<string, AggregateRecord>();
    const flagEnvironments = new Map<string, FlagEnvironmentView>();
    const appliedOffsets = new Map<number, bigint>();
    const audit = new AuditRows();
    const applied: IncomingEvent[] = [];
    let failure: BuildResult['failure'];
    for (const incoming of events) {
      const { event } = incoming;
      let projected;
      try {
        projected = projectEvent(staged.get(event.aggregateId) ?? this.record(event.aggregateId), event);
      } catch (error) {
        if (!(error instanceof ProjectionError)) throw error;
        failure = { incoming, error };
        break;
      }
      staged.set(event.aggregateId, projected.record);
      if (projected.environment !== undefined) {
        const view = flagEnvironmentView(projected.record, projected.environment);
        if (view) flagEnvironments.set(`${view.flagKey}\u0000${view.environment}`, view);
      }
      audit.add(incoming, projected.diff);
      appliedOffsets.set(incoming.partition, BigInt(incoming.offset) + 1n);
      applied.push(incoming);
    }
    if (applied.length === 0) return failure ? { failure } : {};
    const records = [...staged.values()];
    const last = applied[applied.length - 1]!.event;
    const batch: ProjectionBatch = {
      events: applied,
      from,
      to: { sequence: last.sequence, hash: last.hash },
      auditRows: audit.finish(),
      environments: defined(records.map(environmentView)),
      flags: defined(records.map(flagView)),
      flagEnvironments: [...flagEnvironments.values()],
      segments: defined(records.map(segmentView)),
      tokens: defined(records.map(tokenView)),
      positions: records.map(positionOf),
      appliedOffsets,
      staged,
    };
    return failure ? { batch, failure } : { batch };
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

/**
 * Audit rows in COPY text format. The payload is the record value exactly as read from Kafka,
 * spliced in rather than re-serialised: cheaper, and nothing of the original can be lost.
 */
class AuditRows {
  private readonly chunks: Buffer[] = [];
  private lines: string[] = [];
  private size = 0;

  add(incoming: IncomingEvent, diff: readonly DiffEntry[]): void {
    const e = auditEntryOf(incoming.event, diff, { partition: incoming.partition, offset: incoming.offset });
    const fields = [
      String(e.sequence),
      copyField(e.eventId),
      copyField(e.eventType),
      copyField(e.aggregateType),
      copyField(e.aggregateId),
      String(e.version),
      copyField(e.time),
      copyField(e.actorId),
      copyField(e.actorName),
      copyField(e.reason),
      copyField(e.correlationId),
      copyField(e.changeRequestId),
      copyField(JSON.stringify(e.diff)),
      copyField(e.prevHash),
      copyField(e.hash),
      String(e.partition),
      copyField(e.offset),
      copyField(incoming.raw),
    ];
    const line = `${fields.join('\t')}\n`;
    this.lines.push(line);
    this.size += line.length;
    if (this.size >= COPY_CHUNK) this.flush();
  }

  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    this.chunks.push(Buffer.from(this.lines.join(''), 'utf8'));
    this.lines = [];
    this.size = 0;
  }
}

function defined<T>(values: readonly (T | undefined)[]): T[] {
  return values.filter((v): v is T => v !== undefined);
}
