import { EventEmitter } from 'node:events';
import * as engine from '@flagpole/evaluation';
import type { EvaluationContext, EvaluationResult, FlagType, InMemoryFlagStore, JsonValue } from '@flagpole/evaluation';
import { filter, Subject, type Observable } from 'rxjs';
import { describeError, type FlagpoleLogger } from '../logger';
import type { ChangeSet, FlagState } from '../state/flag-state';
import type {
  ConfigurationChangeEvent,
  ConfigurationSource,
  FlagChangeEvent,
  FlagEvaluationDetails,
  FlagpoleEventMap,
  FlagpoleStatus,
  Unsubscribe,
} from '../types';

// Bound once: a CommonJS re-export is a getter, which a call through the module object would run
// on every evaluation.
const evaluateTypedFlag = engine.evaluateTypedFlag;

const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});

/**
 * How the configuration held relates to its source, which decides the reason reported:
 * `none` → the caller's default with `PROVIDER_NOT_READY`; `live` → the engine's reason;
 * `cached` → `CACHED`; `stale` → `STALE`.
 */
export type Serving = 'none' | 'live' | 'cached' | 'stale';

/**
 * What application code needs from a Flagpole client: typed evaluation, change notifications and
 * status. Both {@link FlagpoleClient} (Kafka) and {@link InMemoryFlagpoleClient} (tests) implement
 * it — depend on this interface and a unit test can hand in the in-memory one.
 *
 * Evaluation is synchronous, in memory and never throws: on any problem the caller's default is
 * returned (the `…Details` form says why).
 *
 * @example
 * ```ts
 * import type { FlagEvaluator } from '@flagpole/sdk';
 *
 * export class CheckoutService {
 *   constructor(private readonly flags: FlagEvaluator) {}
 *
 *   total(cart: Cart, user: User): number {
 *     const discount = this.flags.getNumberValue('checkout-discount', 0, { targetingKey: user.id, plan: user.plan });
 *     return cart.subtotal * (1 - discount / 100);
 *   }
 * }
 * ```
 */
export interface FlagEvaluator {
  /**
   * The value of a boolean flag for a context, or `defaultValue` when the flag is missing, not
   * boolean, invalid, or no configuration is available yet.
   *
   * @example
   * ```ts
   * if (flags.getBooleanValue('new-checkout', false, { targetingKey: user.id, country: user.country })) renderNewCheckout();
   * ```
   */
  getBooleanValue(flagKey: string, defaultValue: boolean, context?: EvaluationContext): boolean;
  /**
   * The value of a string flag, or `defaultValue` (see {@link FlagEvaluator.getBooleanValue}).
   *
   * @example
   * ```ts
   * const theme = flags.getStringValue('theme', 'classic', { targetingKey: user.id });
   * ```
   */
  getStringValue(flagKey: string, defaultValue: string, context?: EvaluationContext): string;
  /**
   * The value of a number flag, or `defaultValue` (see {@link FlagEvaluator.getBooleanValue}).
   *
   * @example
   * ```ts
   * const limit = flags.getNumberValue('rate-limit', 100, { targetingKey: tenant.id, plan: tenant.plan });
   * ```
   */
  getNumberValue(flagKey: string, defaultValue: number, context?: EvaluationContext): number;
  /**
   * The value of a JSON flag, or `defaultValue` (see {@link FlagEvaluator.getBooleanValue}). The
   * value is shared with the engine: treat it as read-only.
   *
   * @example
   * ```ts
   * const banner = flags.getJsonValue<{ text: string } | null>('banner', null, { targetingKey: user.id });
   * ```
   */
  getJsonValue<T extends JsonValue>(flagKey: string, defaultValue: T, context?: EvaluationContext): T;
  /**
   * Like {@link FlagEvaluator.getBooleanValue}, with the variant, reason, rule id, error code and
   * freshness of the answer.
   *
   * @example
   * ```ts
   * const d = flags.getBooleanDetails('new-checkout', false, { targetingKey: 'user-1' });
   * logger.info({ flag: d.flagKey, variant: d.variant, reason: d.reason, rule: d.ruleId }, 'flag evaluated');
   * ```
   */
  getBooleanDetails(flagKey: string, defaultValue: boolean, context?: EvaluationContext): FlagEvaluationDetails<boolean>;
  /**
   * Like {@link FlagEvaluator.getStringValue}, with details.
   *
   * @example
   * ```ts
   * const { value, reason } = flags.getStringDetails('theme', 'classic', { targetingKey: 'user-1' });
   * ```
   */
  getStringDetails(flagKey: string, defaultValue: string, context?: EvaluationContext): FlagEvaluationDetails<string>;
  /**
   * Like {@link FlagEvaluator.getNumberValue}, with details.
   *
   * @example
   * ```ts
   * const { value, errorCode } = flags.getNumberDetails('rate-limit', 100);
   * if (errorCode === 'TYPE_MISMATCH') logger.warn({}, 'rate-limit is not a number flag');
   * ```
   */
  getNumberDetails(flagKey: string, defaultValue: number, context?: EvaluationContext): FlagEvaluationDetails<number>;
  /**
   * Like {@link FlagEvaluator.getJsonValue}, with details.
   *
   * @example
   * ```ts
   * const { value, variant } = flags.getJsonDetails('banner', null, { targetingKey: 'user-1' });
   * ```
   */
  getJsonDetails<T extends JsonValue>(flagKey: string, defaultValue: T, context?: EvaluationContext): FlagEvaluationDetails<T>;
  /**
   * Adds a listener for an event (see {@link FlagpoleEventMap}). A listener that throws is logged
   * and does not disturb the client or the other listeners.
   *
   * @example
   * ```ts
   * flags.on('change', (e) => logger.info({ flags: e.flagKeys }, 'flags changed'));
   * ```
   */
  on<E extends keyof FlagpoleEventMap>(event: E, listener: (payload: FlagpoleEventMap[E]) => void): this;
  /**
   * Removes a listener added with {@link FlagEvaluator.on} or {@link FlagEvaluator.once}.
   *
   * @example
   * ```ts
   * const log = (e: ConfigurationChangeEvent) => logger.info(e, 'changed');
   * flags.on('change', log);
   * flags.off('change', log);
   * ```
   */
  off<E extends keyof FlagpoleEventMap>(event: E, listener: (payload: FlagpoleEventMap[E]) => void): this;
  /**
   * Adds a listener called at most once.
   *
   * @example
   * ```ts
   * flags.once('ready', (status) => logger.info({ flags: status.flags }, 'flags ready'));
   * ```
   */
  once<E extends keyof FlagpoleEventMap>(event: E, listener: (payload: FlagpoleEventMap[E]) => void): this;
  /**
   * Calls `listener` whenever the evaluation of `flagKey` may have changed (its record, a segment
   * it uses or a prerequisite), after the new configuration is in place.
   *
   * @example
   * ```ts
   * const stop = flags.onFlagChange('rate-limit', () => limiter.setLimit(flags.getNumberValue('rate-limit', 100)));
   * // later
   * stop();
   * ```
   */
  onFlagChange(flagKey: string, listener: (change: FlagChangeEvent) => void): Unsubscribe;
  /**
   * Every batch of changes, after it is in place. Completes when the client is closed.
   *
   * @example
   * ```ts
   * flags.changes$.pipe(debounceTime(100)).subscribe(() => cache.clear());
   * ```
   */
  readonly changes$: Observable<ConfigurationChangeEvent>;
  /**
   * Changes of one flag (or of every flag, one event per flag, when `flagKey` is omitted).
   * Completes when the client is closed.
   *
   * @example
   * ```ts
   * flags.flagChanges$('maintenance-mode').subscribe(() => toggleMaintenance(flags.getBooleanValue('maintenance-mode', false)));
   * ```
   */
  flagChanges$(flagKey?: string): Observable<FlagChangeEvent>;
  /**
   * Starts serving: for a {@link FlagpoleClient}, reads Kafka (see its `start`); an in-memory
   * client is ready at once. Resolves with the status; never rejects.
   *
   * @example
   * ```ts
   * const { state } = await flags.start();
   * ```
   */
  start(): Promise<FlagpoleStatus>;
  /**
   * What the client serves and how fresh it is.
   *
   * @example
   * ```ts
   * const { state, source, offsets, lastUpdateAt } = flags.status();
   * ```
   */
  status(): FlagpoleStatus;
  /**
   * Keys of every flag held (including flags without configuration for this environment).
   *
   * @example
   * ```ts
   * logger.info({ count: flags.flagKeys().length }, 'flags held');
   * ```
   */
  flagKeys(): string[];
  /**
   * Stops the client. Evaluation keeps answering from the last configuration (reported `STALE`).
   *
   * @example
   * ```ts
   * process.on('SIGTERM', () => void flags.close());
   * ```
   */
  close(): Promise<void>;
}

/**
 * The evaluation, events and observables shared by {@link FlagpoleClient} and
 * {@link InMemoryFlagpoleClient}: subclasses own the data (a {@link FlagState}) and say how it is
 * being served. Not meant to be extended by applications; type against {@link FlagEvaluator}.
 *
 * @example
 * ```ts
 * function describe(client: FlagEvaluatorBase): string {
 *   return `${client.status().state}: ${client.flagKeys().length} flags`;
 * }
 * ```
 */
export abstract class FlagEvaluatorBase implements FlagEvaluator {
  /** The engine's store: what every evaluation reads. Mutated in place, never replaced. */
  protected readonly store: InMemoryFlagStore;
  protected source: ConfigurationSource = 'none';
  /** How the configuration held is being served (decides the reason reported). */
  protected serving: Serving = 'none';
  /**
   * Whether some definition held has a `currentTime` clause: only then is the clock read, once per
   * evaluation (reading it costs as much as a simple evaluation). The value getters pass their type
   * as a literal to the engine's typed entry point, so each is a single engine call (see bench/sdk,
   * "Evaluation through the SDK"). With nothing served the store is empty and the engine answers
   * the caller's default, which is what the value getters must return then.
   */
  private timed = false;
  private readonly emitter = new EventEmitter();
  private readonly changeSubject = new Subject<ConfigurationChangeEvent>();
  private readonly flagChangeSubject = new Subject<FlagChangeEvent>();

  /**
   * Every batch of changes, after it is in place (see {@link FlagEvaluator.changes$}).
   *
   * @example
   * ```ts
   * client.changes$.subscribe((e) => metrics.increment('flags.changes', e.flagKeys.length));
   * ```
   */
  readonly changes$: Observable<ConfigurationChangeEvent> = this.changeSubject.asObservable();

  protected constructor(
    protected readonly state: FlagState,
    protected readonly clock: () => number,
    protected readonly logger: FlagpoleLogger,
  ) {
    this.store = state.store;
    this.emitter.setMaxListeners(0);
    this.timed = state.needsClock;
    state.onNeedsClockChange = () => {
      this.timed = state.needsClock;
    };
  }

  getBooleanValue(flagKey: string, defaultValue: boolean, context?: EvaluationContext): boolean {
    // The engine takes undefined/null as an empty context.
    if (this.timed) return this.timedValue(flagKey, defaultValue, context, 'boolean') as boolean;
    return evaluateTypedFlag(this.store, flagKey, context as EvaluationContext, defaultValue, 'boolean', undefined).value as boolean;
  }

  getStringValue(flagKey: string, defaultValue: string, context?: EvaluationContext): string {
    // The engine takes undefined/null as an empty context.
    if (this.timed) return this.timedValue(flagKey, defaultValue, context, 'string') as string;
    return evaluateTypedFlag(this.store, flagKey, context as EvaluationContext, defaultValue, 'string', undefined).value as string;
  }

  getNumberValue(flagKey: string, defaultValue: number, context?: EvaluationContext): number {
    // The engine takes undefined/null as an empty context.
    if (this.timed) return this.timedValue(flagKey, defaultValue, context, 'number') as number;
    return evaluateTypedFlag(this.store, flagKey, context as EvaluationContext, defaultValue, 'number', undefined).value as number;
  }

  getJsonValue<T extends JsonValue>(flagKey: string, defaultValue: T, context?: EvaluationContext): T {
    // The engine takes undefined/null as an empty context.
    if (this.timed) return this.timedValue(flagKey, defaultValue, context, 'json') as T;
    return evaluateTypedFlag(this.store, flagKey, context as EvaluationContext, defaultValue, 'json', undefined).value as T;
  }

  getBooleanDetails(flagKey: string, defaultValue: boolean, context?: EvaluationContext): FlagEvaluationDetails<boolean> {
    return this.details(flagKey, defaultValue, context, 'boolean');
  }

  getStringDetails(flagKey: string, defaultValue: string, context?: EvaluationContext): FlagEvaluationDetails<string> {
    return this.details(flagKey, defaultValue, context, 'string');
  }

  getNumberDetails(flagKey: string, defaultValue: number, context?: EvaluationContext): FlagEvaluationDetails<number> {
    return this.details(flagKey, defaultValue, context, 'number');
  }

  getJsonDetails<T extends JsonValue>(flagKey: string, defaultValue: T, context?: EvaluationContext): FlagEvaluationDetails<T> {
    return this.details(flagKey, defaultValue, context, 'json');
  }

  on<E extends keyof FlagpoleEventMap>(event: E, listener: (payload: FlagpoleEventMap[E]) => void): this {
    this.emitter.on(event, listener);
    return this;
  }

  off<E extends keyof FlagpoleEventMap>(event: E, listener: (payload: FlagpoleEventMap[E]) => void): this {
    this.emitter.off(event, listener);
    return this;
  }

  once<E extends keyof FlagpoleEventMap>(event: E, listener: (payload: FlagpoleEventMap[E]) => void): this {
    this.emitter.once(event, listener);
    return this;
  }

  onFlagChange(flagKey: string, listener: (change: FlagChangeEvent) => void): Unsubscribe {
    const forKey = (change: FlagChangeEvent): void => {
      if (change.key === flagKey) listener(change);
    };
    this.on('flagChange', forKey);
    return () => void this.off('flagChange', forKey);
  }

  flagChanges$(flagKey?: string): Observable<FlagChangeEvent> {
    const all = this.flagChangeSubject.asObservable();
    return flagKey === undefined ? all : all.pipe(filter((change) => change.key === flagKey));
  }

  flagKeys(): string[] {
    return this.state.flagKeys();
  }

  abstract start(): Promise<FlagpoleStatus>;
  abstract status(): FlagpoleStatus;
  abstract close(): Promise<void>;

  /** Emits an event to its listeners, isolating the client from listeners that throw. */
  protected emit<E extends keyof FlagpoleEventMap>(event: E, payload: FlagpoleEventMap[E]): void {
    for (const listener of this.emitter.listeners(event)) {
      try {
        (listener as (payload: FlagpoleEventMap[E]) => void)(payload);
      } catch (error) {
        this.logger.error({ event, error: describeError(error) }, 'flagpole: an event listener threw');
      }
    }
  }

  /** Announces applied changes: one `change`, then one `flagChange` per flag, then the observables. */
  protected publish(changes: ChangeSet, offsets: Readonly<Record<string, string>>, appliedAt: number): void {
    if (changes.flags.length === 0 && changes.segments.length === 0) return;
    const event: ConfigurationChangeEvent = {
      flagKeys: changes.flagKeys,
      flags: changes.flags,
      segments: changes.segments,
      offsets,
      appliedAt,
      source: this.source,
    };
    this.emit('change', event);
    for (const change of changes.flags) this.emit('flagChange', change);
    this.changeSubject.next(event);
    for (const change of changes.flags) this.flagChangeSubject.next(change);
  }

  /** Completes the observables (on close). */
  protected completeStreams(): void {
    this.changeSubject.complete();
    this.flagChangeSubject.complete();
  }

  /**
   * A value getter's answer while some definition reads the clock: the application's clock may
   * throw, and a getter never does — it answers the default then.
   */
  private timedValue(flagKey: string, defaultValue: JsonValue, context: EvaluationContext | undefined, type: FlagType): JsonValue {
    let now: number;
    try {
      now = this.clock();
    } catch {
      return defaultValue;
    }
    return evaluateTypedFlag(this.store, flagKey, context as EvaluationContext, defaultValue, type, now).value;
  }

  private details<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext | undefined,
    type: FlagType,
  ): FlagEvaluationDetails<T> {
    const serving = this.serving;
    const source = this.source;
    if (serving === 'none') {
      return {
        flagKey,
        value: defaultValue,
        reason: 'ERROR',
        errorCode: 'PROVIDER_NOT_READY',
        errorMessage: 'no flag configuration yet: Kafka has not been read to its end and there is no snapshot',
        stale: true,
        source,
      };
    }
    let result: EvaluationResult;
    try {
      result = evaluateTypedFlag(this.store, flagKey, context ?? EMPTY_CONTEXT, defaultValue, type, this.timed ? this.clock() : undefined);
    } catch (error) {
      // The engine does not throw; this guards the promise made to callers all the same.
      result = { value: defaultValue, reason: 'ERROR', errorCode: 'GENERAL', errorMessage: describeError(error) };
    }
    const details: {
      -readonly [K in keyof FlagEvaluationDetails<T>]: FlagEvaluationDetails<T>[K];
    } = {
      flagKey,
      value: result.value as T,
      reason: result.reason === 'ERROR' || serving === 'live' ? result.reason : serving === 'cached' ? 'CACHED' : 'STALE',
      stale: serving !== 'live',
      evaluationReason: result.reason,
      source,
    };
    if (result.variant !== undefined) details.variant = result.variant;
    if (result.ruleId !== undefined) details.ruleId = result.ruleId;
    if (result.errorCode !== undefined) details.errorCode = result.errorCode;
    if (result.errorMessage !== undefined) details.errorMessage = result.errorMessage;
    const version = this.state.flagVersion(flagKey);
    if (version !== undefined) details.flagVersion = version;
    return details;
  }
}
