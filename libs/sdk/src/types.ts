import type { EvaluationErrorCode, EvaluationReason, JsonValue } from '@flagpole/evaluation';

/**
 * Why a value was served. The engine's reasons (SPEC.md §10) when the configuration is live from
 * Kafka, plus two that say the configuration may be out of date — both are OpenFeature standard
 * reasons:
 *
 * | reason | when |
 * |---|---|
 * | `TARGETING_MATCH`, `SPLIT`, `DEFAULT`, `DISABLED`, `PREREQUISITE_FAILED` | the engine's reason; the client is caught up with Kafka and connected |
 * | `CACHED` | the configuration came from the local snapshot file and Kafka has not confirmed it yet (start-up while Kafka is unreachable) |
 * | `STALE` | the configuration came from Kafka, but the connection has been lost (no successful fetch for `staleAfterMs`) or the client is closed |
 * | `ERROR` | see `errorCode`; the caller's default is served |
 *
 * With `CACHED` and `STALE` the engine's own reason is kept in
 * {@link FlagEvaluationDetails.evaluationReason}, so a rollout (`SPLIT`) can still be told apart
 * from a targeting match.
 *
 * @example
 * ```ts
 * const details = client.getBooleanDetails('new-checkout', false, { targetingKey: 'user-1' });
 * if (details.reason === 'CACHED') metrics.increment('flags.served_from_snapshot');
 * ```
 */
export type FlagpoleReason = EvaluationReason | 'CACHED' | 'STALE';

/**
 * Why the caller's default was served (reason `ERROR`). The engine's codes (SPEC.md §10) plus
 * `PROVIDER_NOT_READY`: the client has no configuration at all yet — Kafka has not been read to
 * its end and there was no snapshot to fall back on. All of them are OpenFeature error codes.
 *
 * @example
 * ```ts
 * const details = client.getStringDetails('banner', 'none');
 * if (details.errorCode === 'FLAG_NOT_FOUND') logger.warn({ flag: 'banner' }, 'flag missing: archived or misspelt?');
 * ```
 */
export type FlagpoleErrorCode = EvaluationErrorCode | 'PROVIDER_NOT_READY';

/**
 * Where the configuration being served came from.
 * - `none`: nothing yet (every evaluation answers the caller's default with `PROVIDER_NOT_READY`);
 * - `snapshot`: the local snapshot file, not yet confirmed by Kafka;
 * - `kafka`: read from the compacted topic up to the end captured at start, then tailed;
 * - `memory`: an in-memory test client ({@link InMemoryFlagpoleClient}).
 *
 * @example
 * ```ts
 * if (client.status().source === 'snapshot') logger.warn({}, 'Kafka unreachable: serving the last snapshot');
 * ```
 */
export type ConfigurationSource = 'none' | 'snapshot' | 'kafka' | 'memory';

/**
 * The outcome of one evaluation through the SDK.
 *
 * @example
 * ```ts
 * const d = client.getNumberDetails('max-items', 10, { targetingKey: user.id, plan: user.plan });
 * // { flagKey: 'max-items', value: 50, variant: 'large', reason: 'TARGETING_MATCH', ruleId: 'premium',
 * //   stale: false, evaluationReason: 'TARGETING_MATCH', source: 'kafka', flagVersion: 7 }
 * ```
 */
export interface FlagEvaluationDetails<T extends JsonValue> {
  readonly flagKey: string;
  /** The served value: the flag's variant value, or the caller's default on `ERROR`. */
  readonly value: T;
  /** The served variant; absent on `ERROR`. */
  readonly variant?: string;
  readonly reason: FlagpoleReason;
  /** The id of the rule that decided (rule matches only). */
  readonly ruleId?: string;
  readonly errorCode?: FlagpoleErrorCode;
  readonly errorMessage?: string;
  /** True when the configuration that decided may be out of date (`source` is `snapshot`, or the Kafka connection is lost). */
  readonly stale: boolean;
  /** The engine's reason, also when `reason` says `CACHED` or `STALE`; absent with `PROVIDER_NOT_READY`. */
  readonly evaluationReason?: EvaluationReason;
  readonly source: ConfigurationSource;
  /** Version of the flag's record that decided (the flag aggregate's version in the control plane). */
  readonly flagVersion?: number;
}

/**
 * The client's life-cycle state, named like OpenFeature's provider states.
 * - `NOT_READY`: started, nothing to serve yet, start timeout not reached;
 * - `READY`: caught up with Kafka and connected;
 * - `STALE`: serving a configuration that may be out of date (a snapshot, or Kafka connection lost);
 * - `ERROR`: nothing to serve and the start timeout has passed (defaults are served), still retrying;
 * - `CLOSED`: `close()` was called; the last configuration is still evaluated, reported `STALE`.
 *
 * @example
 * ```ts
 * app.get('/health/ready', (_req, res) => res.status(client.status().state === 'READY' ? 200 : 503).end());
 * ```
 */
export type FlagpoleState = 'NOT_READY' | 'READY' | 'STALE' | 'ERROR' | 'CLOSED';

/**
 * Where the start-up time went, in milliseconds since `start()` was called (client clock).
 * Absent fields have not happened (yet).
 *
 * @example
 * ```ts
 * const { startup } = await client.start();
 * logger.info({ startup }, 'flags ready'); // { snapshotLoaded: 3, endOffsets: 12, groupJoined: 48, caughtUp: 310, ready: 355 }
 * ```
 */
export interface StartupTimings {
  /** The snapshot file was read and its configuration served. */
  readonly snapshotLoaded?: number;
  /** The end offsets of the topic were captured (the "ready" target). */
  readonly endOffsets?: number;
  /** The consumer joined its (private) consumer group and got every partition. */
  readonly groupJoined?: number;
  /** The first record arrived. */
  readonly firstRecord?: number;
  /** Every partition was read up to the end offsets captured at start. */
  readonly caughtUp?: number;
  /** The configuration read was compiled and in place: `start()` resolved as ready. */
  readonly ready?: number;
  /** `start()` resolved without being ready because `startTimeoutMs` passed. */
  readonly timedOut?: number;
}

/**
 * What the client serves and how fresh it is.
 *
 * @example
 * ```ts
 * const s = client.status();
 * metrics.gauge('flags.age_ms', Date.now() - (s.lastConfirmedAt ?? 0));
 * metrics.gauge('flags.count', s.flags);
 * ```
 */
export interface FlagpoleStatus {
  readonly state: FlagpoleState;
  readonly source: ConfigurationSource;
  readonly environment: string;
  /** The compacted topic read (`<prefix>.flags.<environment>`); absent for in-memory clients. */
  readonly topic?: string;
  /** Number of flags and segments held. */
  readonly flags: number;
  readonly segments: number;
  /**
   * Per partition (as a string key), the position reached: every record below this offset has
   * been applied (Kafka's convention for a consumer position, i.e. last applied offset + 1).
   */
  readonly offsets: Readonly<Record<string, string>>;
  /** Client-clock time (epoch ms) of the last change to the configuration served, including the initial load. */
  readonly lastUpdateAt?: number;
  /** Client-clock time (epoch ms) of the last successful fetch from Kafka: the configuration was known current then. */
  readonly lastConfirmedAt?: number;
  /** The control plane's timestamp (`updatedAt`) of the newest record applied. */
  readonly lastRecordUpdatedAt?: string;
  /** Client-clock time (epoch ms) at which the client last became ready. */
  readonly readyAt?: number;
  /** The last Kafka or snapshot error, if the client is not READY because of it. */
  readonly lastError?: string;
  readonly startup: StartupTimings;
}

/**
 * One flag whose evaluation may have changed, emitted after the new configuration is in place.
 *
 * @example
 * ```ts
 * client.on('flagChange', (change) => {
 *   if (change.key === 'maintenance-mode') reconfigure(client.getBooleanValue('maintenance-mode', false));
 * });
 * ```
 */
export interface FlagChangeEvent {
  readonly key: string;
  readonly type: 'added' | 'updated' | 'removed';
  /**
   * What changed: the flag's own record, a segment its rules use, or (transitively) one of its
   * prerequisite flags.
   */
  readonly cause: 'flag' | 'segment' | 'prerequisite';
  /** The flag's record version now held (absent when removed). */
  readonly version?: number;
  /** The version held before (absent when added). */
  readonly previousVersion?: number;
}

/**
 * One segment that was added, updated or removed.
 *
 * @example
 * ```ts
 * client.on('change', (e) => e.segments.forEach((s) => logger.info(s, 'segment changed')));
 * ```
 */
export interface SegmentChangeEvent {
  readonly key: string;
  readonly type: 'added' | 'updated' | 'removed';
  readonly version?: number;
  readonly previousVersion?: number;
}

/**
 * A batch of changes applied together (one fetched Kafka batch, a re-read of the topic, or an
 * in-memory override), emitted after the new configuration is in place.
 *
 * @example
 * ```ts
 * client.on('change', (e) => logger.info({ flags: e.flagKeys, offsets: e.offsets }, 'flags changed'));
 * ```
 */
export interface ConfigurationChangeEvent {
  /** Every flag whose evaluation may have changed (directly, through a segment or a prerequisite). */
  readonly flagKeys: readonly string[];
  readonly flags: readonly FlagChangeEvent[];
  readonly segments: readonly SegmentChangeEvent[];
  /** Positions per partition after this change (see {@link FlagpoleStatus.offsets}). */
  readonly offsets: Readonly<Record<string, string>>;
  /** Client-clock time (epoch ms) at which the change was put in place. */
  readonly appliedAt: number;
  readonly source: ConfigurationSource;
}

/**
 * The events a client emits, with their payloads.
 * - `ready`: caught up with Kafka (at start, and again after a lost connection or a re-read);
 * - `stale`: the configuration may be out of date from now on (snapshot served, connection lost);
 * - `error`: a Kafka or snapshot failure (only emitted when someone listens; the client keeps retrying);
 * - `change`: a batch of changes, after it is in place;
 * - `flagChange`: one per flag of a `change`.
 *
 * @example
 * ```ts
 * client.on('stale', (status) => logger.warn({ lastError: status.lastError }, 'flags may be out of date'));
 * ```
 */
export interface FlagpoleEventMap {
  ready: FlagpoleStatus;
  stale: FlagpoleStatus;
  error: Error;
  change: ConfigurationChangeEvent;
  flagChange: FlagChangeEvent;
}

/**
 * Removes the listener it was returned for.
 *
 * @example
 * ```ts
 * const stop = client.onFlagChange('new-checkout', () => cache.clear());
 * stop();
 * ```
 */
export type Unsubscribe = () => void;
