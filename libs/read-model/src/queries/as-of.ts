import {
  aggregateIds,
  environmentConfigOf,
  initialFlagState,
  initialSegmentState,
  type EnvironmentState,
  type EventEnvelope,
  type ExistingFlag,
  type FlagState,
  type SegmentRules,
  type SegmentState,
  type Variants,
} from '@flagpole/domain';
import type { FlagEnvironmentConfig, FlagType } from '@flagpole/evaluation';
import type { EntityManager } from 'typeorm';
import { jsonbKeyOrder } from '../database/jsonb-key-order';
import type { AggregateState } from '../projection/aggregate-record';
import { evolveAggregate, initialStateOf } from '../projection/project-event';
import { segmentKeyOf } from '../projection/views';
import { aggregateExists } from './audit-queries';
import { resolvePoint, type PointInput, type ResolvedPoint } from './query-point';

/*
 * Time travel: an aggregate as of a point is its own events up to that point, folded with the
 * domain's own evolve functions — the same code the writer decides with and the projector
 * projects with. Only that aggregate's events are read, through the (aggregate_id, version)
 * index, so the cost grows with the aggregate's history, not with the log.
 */

/** An aggregate folded from its events, with where it stands. */
export interface Replayed<S extends AggregateState = AggregateState> {
  readonly state: S;
  /** Version of the last event folded (0 when none). */
  readonly version: number;
  /** Sequence of the last event folded (null when none). */
  readonly lastSequence: number | null;
  readonly updatedAt: string | null;
}

/**
 * Folds one aggregate's events (ascending versions, starting at 1) into its state. Pure. Throws
 * when versions are not consecutive: the audit trail would then not be the log.
 */
export function replayAggregate<S extends AggregateState>(aggregateType: EventEnvelope['aggregateType'], events: readonly EventEnvelope[]): Replayed<S> {
  let state = initialStateOf(aggregateType);
  let version = 0;
  let last: EventEnvelope | undefined;
  for (const event of events) {
    if (event.version !== version + 1) throw new Error(`${event.aggregateId}: event ${event.sequence} has version ${event.version}, expected ${version + 1}`);
    state = evolveAggregate(state, event);
    version = event.version;
    last = event;
  }
  return { state: state as S, version, lastSequence: last?.sequence ?? null, updatedAt: last?.time ?? null };
}

/** One aggregate's events up to a sequence, oldest first (index on aggregate_id, version). */
export async function aggregateEventsUpTo(manager: EntityManager, aggregateId: string, sequence: number): Promise<EventEnvelope[]> {
  // One aggregate's versions rise with the global sequence (one writer appends in order), so
  // sequence order is version order — and the (aggregate_id, sequence) index's own order: no sort.
  const rows: { payload: EventEnvelope }[] = await manager.query(
    'SELECT payload FROM audit_trail WHERE aggregate_id = $1 AND sequence <= $2 ORDER BY sequence',
    [aggregateId, sequence],
  );
  return rows.map((r) => jsonbKeyOrder(r.payload));
}

/** A flag's state as of a resolved sequence. */
export async function flagStateAt(manager: EntityManager, key: string, sequence: number): Promise<Replayed<FlagState>> {
  return replayAggregate<FlagState>('flag', await aggregateEventsUpTo(manager, aggregateIds.flag(key), sequence));
}

/** A segment's state as of a resolved sequence. */
export async function segmentStateAt(manager: EntityManager, environment: string, key: string, sequence: number): Promise<Replayed<SegmentState>> {
  return replayAggregate<SegmentState>('segment', await aggregateEventsUpTo(manager, aggregateIds.segment(environment, key), sequence));
}

export interface FlagAsOf {
  readonly key: string;
  readonly point: ResolvedPoint;
  /**
   * The flag as it stood: metadata, variants, status and the configuration of every environment
   * somebody had configured or toggled by then (the others served the default: off, serving the
   * off variant). Null when the flag did not exist yet.
   */
  readonly flag: ExistingFlag | null;
  readonly version: number;
  /** Sequence of the flag's last event at the point (its own consistency token then). */
  readonly lastSequence: number | null;
  readonly updatedAt: string | null;
}

/**
 * A flag as of a point (a sequence, a time, or the head when omitted). Undefined when the flag
 * has no event at all, so callers can answer 404; a flag created after the point comes back with
 * `flag: null`. The benchmark measures this function.
 *
 * @example flagAsOf(dataSource.manager, 'checkout', { time: '2025-03-14T14:02:00Z' })
 */
export async function flagAsOf(manager: EntityManager, key: string, point?: PointInput | ResolvedPoint): Promise<FlagAsOf | undefined> {
  const resolved = isResolved(point) ? point : await resolvePoint(manager, point);
  const replayed = await flagStateAt(manager, key, resolved.sequence);
  if (replayed.version === 0 && !(await aggregateExists(manager, aggregateIds.flag(key)))) return undefined;
  const flag = replayed.state.status === 'absent' ? null : replayed.state;
  return { key, point: resolved, flag, version: replayed.version, lastSequence: replayed.lastSequence, updatedAt: replayed.updatedAt };
}

/** A flag as one environment saw it at a point. */
export interface EnvironmentFlagAsOf {
  readonly key: string;
  readonly status: 'active' | 'archived';
  readonly type: FlagType;
  readonly variants: Variants;
  /** False when nobody had configured or toggled the flag in this environment: `config` is then the default. */
  readonly configured: boolean;
  readonly config: FlagEnvironmentConfig;
  /** Sequence of the last event that changed what this environment evaluates. */
  readonly lastSequence: number;
}

export interface EnvironmentSegmentAsOf {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly rules: SegmentRules;
  readonly version: number;
  readonly lastSequence: number;
}

export interface EnvironmentAsOf {
  readonly environment: string;
  readonly point: ResolvedPoint;
  /** Null when the environment did not exist yet at the point. */
  readonly details: { readonly name: string; readonly description: string; readonly production: boolean; readonly version: number } | null;
  /** Every flag that existed, sorted by key (archived ones too, marked as such). */
  readonly flags: readonly EnvironmentFlagAsOf[];
  /** Segments of the environment alive at the point, sorted by key. */
  readonly segments: readonly EnvironmentSegmentAsOf[];
}

const ENVIRONMENT_PAGE = 5000;

/**
 * A whole environment as of a point: every flag's configuration there and the environment's
 * segments. Each flag is folded from its own events only, and of those only the ones that can
 * change what this environment evaluates (another environment's configurations and toggles are
 * skipped in SQL), read in keyset pages so memory holds states, not the log.
 * Undefined when the environment never existed.
 */
export async function environmentAsOf(manager: EntityManager, environment: string, point?: PointInput | ResolvedPoint): Promise<EnvironmentAsOf | undefined> {
  const resolved = isResolved(point) ? point : await resolvePoint(manager, point);
  const envId = aggregateIds.environment(environment);
  const env = replayAggregate<EnvironmentState>('environment', await aggregateEventsUpTo(manager, envId, resolved.sequence));
  if (env.version === 0 && !(await aggregateExists(manager, envId))) return undefined;

  const flags = new Map<string, { state: FlagState; lastSequence: number }>();
  for (let after = 0; ; ) {
    const rows: { payload: EventEnvelope }[] = await manager.query(
      `SELECT payload FROM audit_trail
        WHERE sequence > $1 AND sequence <= $2 AND aggregate_type = 'flag'
          AND (event_type NOT IN ('FlagEnvironmentConfigured', 'FlagToggled', 'FlagMetadataUpdated') OR payload->'data'->>'environment' = $3)
        ORDER BY sequence LIMIT ${ENVIRONMENT_PAGE}`,
      [after, resolved.sequence, environment],
    );
    for (const { payload } of rows) {
      const event = jsonbKeyOrder(payload);
      const held = flags.get(event.aggregateId);
      // Skipped events leave holes in the versions; evolve counts by one, so take the event's own.
      const evolved = evolveAggregate(held?.state ?? initialFlagState, event) as FlagState;
      const state = evolved.status === 'absent' ? evolved : { ...evolved, version: event.version };
      flags.set(event.aggregateId, { state, lastSequence: event.sequence });
    }
    if (rows.length < ENVIRONMENT_PAGE) break;
    after = rows[rows.length - 1]!.payload.sequence;
  }

  const segmentPrefix = `${aggregateIds.segment(environment, '')}`;
  const segmentRows: { payload: EventEnvelope }[] = await manager.query(
    `SELECT payload FROM audit_trail
      WHERE aggregate_type = 'segment' AND left(aggregate_id, $1) = $2 AND sequence <= $3
      ORDER BY sequence`,
    [segmentPrefix.length, segmentPrefix, resolved.sequence],
  );
  const segments = new Map<string, { state: SegmentState; lastSequence: number }>();
  for (const { payload } of segmentRows) {
    const event = jsonbKeyOrder(payload);
    const held = segments.get(event.aggregateId);
    segments.set(event.aggregateId, { state: evolveAggregate(held?.state ?? initialSegmentState, event) as SegmentState, lastSequence: event.sequence });
  }

  return {
    environment,
    point: resolved,
    details: env.state.status === 'active' ? { name: env.state.name, description: env.state.description, production: env.state.production, version: env.version } : null,
    flags: [...flags.values()]
      .flatMap(({ state, lastSequence }) => (state.status === 'absent' ? [] : [environmentFlagOf(state, environment, lastSequence)]))
      .sort((a, b) => compareKeys(a.key, b.key)),
    segments: [...segments.entries()]
      .flatMap(([id, { state, lastSequence }]) =>
        state.status === 'active'
          ? [{ key: segmentKeyOf(id).key, name: state.name, description: state.description, rules: state.rules, version: state.version, lastSequence }]
          : [],
      )
      .sort((a, b) => compareKeys(a.key, b.key)),
  };
}

/** The part of a flag one environment evaluates. */
export function environmentFlagOf(flag: ExistingFlag, environment: string, lastSequence: number): EnvironmentFlagAsOf {
  return {
    key: flag.key,
    status: flag.status,
    type: flag.type,
    variants: flag.variants,
    configured: flag.environments[environment] !== undefined,
    config: environmentConfigOf(flag, environment),
    lastSequence,
  };
}

/** Code-unit order, as the checksum sorts: never a database collation. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isResolved(point: PointInput | ResolvedPoint | undefined): point is ResolvedPoint {
  return point !== undefined && 'requested' in point;
}
