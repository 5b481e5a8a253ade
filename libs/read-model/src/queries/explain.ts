import { aggregateIds, environmentConfigOf, flagStateRecord, type EventEnvelope, type FlagState, type SegmentState } from '@flagpole/domain';
import {
  evaluateFlag,
  InMemoryFlagStore,
  MAX_PREREQUISITE_DEPTH,
  referencedSegments,
  type EvaluationContext,
  type EvaluationResult,
  type FlagEnvironmentConfig,
  type JsonValue,
} from '@flagpole/evaluation';
import type { EntityManager } from 'typeorm';
import { jsonbKeyOrder } from '../database/jsonb-key-order';
import { segmentKeyOf } from '../projection/views';
import { aggregateEventsUpTo, flagAsOf, flagStateAt, replayAggregate } from './as-of';
import { evaluationClock, resolvePoint, type PointInput, type ResolvedPoint } from './query-point';

/** What the engine served, and from what. */
export interface Explanation {
  readonly flag: string;
  readonly environment: string;
  readonly point: ResolvedPoint;
  /** The global sequence the configuration reflects (every event up to it). */
  readonly sequence: number;
  readonly value: JsonValue;
  readonly variant: string | null;
  readonly reason: EvaluationResult['reason'];
  readonly ruleId: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** The flag's configuration in the environment the engine evaluated; null when it had none (archived, not yet created, no environment). */
  readonly configuration: FlagEnvironmentConfig | null;
  /** False when nobody had configured the flag there: the default configuration applied. */
  readonly configured: boolean;
  readonly flagStatus: FlagState['status'];
  readonly flagVersion: number;
  /** Prerequisite flags evaluated along the way, with their versions at the point. */
  readonly prerequisites: readonly { readonly flag: string; readonly version: number }[];
  /** Segments the configuration refers to, with their versions (0 = absent at the point). */
  readonly segments: readonly { readonly key: string; readonly version: number }[];
  /** The clock evaluation ran with (epoch ms): date clauses compare against it. */
  readonly evaluatedAt: string;
}

/** Everything the engine needs for one flag in one environment at one point. */
export interface ExplainInputs {
  readonly environmentExists: boolean;
  /** The flag and its prerequisites (transitively), by key. */
  readonly flags: ReadonlyMap<string, FlagState>;
  /** The environment's segments, by key. */
  readonly segments: ReadonlyMap<string, SegmentState>;
}

/**
 * Evaluates exactly as an SDK would have at that point: the compacted records the writer produced
 * for that state (`flagStateRecord` — the same builder) go into the engine's own store, and
 * `evaluateFlag` decides. Pure; the store holds nothing but these inputs.
 */
export function explainWith(
  key: string,
  environment: string,
  inputs: ExplainInputs,
  context: EvaluationContext,
  options: { readonly point: ResolvedPoint; readonly now: number; readonly defaultValue?: JsonValue },
): Explanation {
  const store = new InMemoryFlagStore(environment);
  const sequence = options.point.sequence;
  const at = options.point.time ?? new Date(options.now).toISOString();
  // The compacted topic of an environment holds nothing before the environment exists.
  if (inputs.environmentExists) {
    for (const flag of inputs.flags.values()) {
      if (flag.status === 'active') store.putFlag(flagStateRecord(flag, environment, sequence, at).flag);
    }
    for (const [segmentKey, segment] of inputs.segments) {
      if (segment.status === 'active') store.putSegment({ key: segmentKey, ...segment.rules });
    }
  }
  const flag = inputs.flags.get(key) ?? { status: 'absent', version: 0 };
  const evaluable = store.getFlag(key) !== undefined;
  const configuration = evaluable && flag.status !== 'absent' ? environmentConfigOf(flag, environment) : null;
  const result = evaluateFlag(store, key, context, options.defaultValue ?? null, { now: options.now });
  const prerequisites = [...inputs.flags.entries()].filter(([k]) => k !== key).map(([k, s]) => ({ flag: k, version: s.version }));
  const segments = configuration ? referencedSegments(configuration).map((k) => ({ key: k, version: inputs.segments.get(k)?.status === 'active' ? inputs.segments.get(k)!.version : 0 })) : [];
  return {
    flag: key,
    environment,
    point: options.point,
    sequence,
    value: result.value,
    variant: result.variant ?? null,
    reason: result.reason,
    ruleId: result.ruleId ?? null,
    errorCode: result.errorCode ?? null,
    errorMessage: result.errorMessage ?? null,
    configuration,
    configured: flag.status !== 'absent' && flag.environments[environment] !== undefined,
    flagStatus: flag.status,
    flagVersion: flag.version,
    prerequisites,
    segments,
    evaluatedAt: new Date(options.now).toISOString(),
  };
}

/**
 * Explains a flag for a context in an environment as of a point (now when omitted): the flag,
 * its prerequisites and the environment's segments are each replayed from their own events up to
 * the point, then evaluated by libs/evaluation. Undefined when the flag never existed.
 */
export async function explainFlag(
  manager: EntityManager,
  request: { readonly key: string; readonly environment: string; readonly context: EvaluationContext; readonly point?: PointInput; readonly defaultValue?: JsonValue },
): Promise<Explanation | undefined> {
  const point = await resolvePoint(manager, request.point, 'at');
  const root = await flagAsOf(manager, request.key, point);
  if (!root) return undefined;
  const { environment } = request;
  const sequence = point.sequence;
  const environmentState = replayAggregate('environment', await aggregateEventsUpTo(manager, aggregateIds.environment(environment), sequence));

  const flags = new Map<string, FlagState>([[request.key, root.flag ?? { status: 'absent', version: 0 }]]);
  // Prerequisites live in the same environment; the engine stops at MAX_PREREQUISITE_DEPTH, so do we.
  let frontier = [request.key];
  for (let depth = 0; depth <= MAX_PREREQUISITE_DEPTH && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const k of frontier) {
      const state = flags.get(k)!;
      if (state.status === 'absent') continue;
      for (const p of environmentConfigOf(state, environment).prerequisites ?? []) {
        if (flags.has(p.flag)) continue;
        flags.set(p.flag, (await flagStateAt(manager, p.flag, sequence)).state);
        next.push(p.flag);
      }
    }
    frontier = next;
  }

  const prefix = aggregateIds.segment(environment, '');
  const segmentRows: { aggregate_id: string; payload: EventEnvelope }[] = await manager.query(
    `SELECT aggregate_id, payload FROM audit_trail WHERE aggregate_type = 'segment' AND left(aggregate_id, $1) = $2 AND sequence <= $3 ORDER BY aggregate_id, version`,
    [prefix.length, prefix, sequence],
  );
  const byAggregate = new Map<string, EventEnvelope[]>();
  for (const row of segmentRows) byAggregate.set(row.aggregate_id, [...(byAggregate.get(row.aggregate_id) ?? []), jsonbKeyOrder(row.payload)]);
  const segments = new Map<string, SegmentState>();
  for (const [id, events] of byAggregate) segments.set(segmentKeyOf(id).key, replayAggregate<SegmentState>('segment', events).state);

  return explainWith(request.key, environment, { environmentExists: environmentState.state.status === 'active', flags, segments }, request.context, {
    point,
    now: evaluationClock(point),
    defaultValue: request.defaultValue,
  });
}
