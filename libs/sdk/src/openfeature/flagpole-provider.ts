import {
  ErrorCode,
  OpenFeatureEventEmitter,
  ProviderEvents,
  type EvaluationContext as OpenFeatureContext,
  type FlagMetadata,
  type Hook,
  type JsonValue as OpenFeatureJsonValue,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import type { EvaluationContext, JsonValue } from '@flagpole/evaluation';
import { FlagpoleClient } from '../client/flagpole-client';
import type { FlagpoleClientOptions } from '../client/options';
import type { FlagEvaluator } from '../evaluator/flag-evaluator';
import type { ConfigurationChangeEvent, FlagEvaluationDetails, FlagpoleErrorCode, FlagpoleStatus } from '../types';

const ERROR_CODES: Readonly<Record<FlagpoleErrorCode, ErrorCode>> = {
  FLAG_NOT_FOUND: ErrorCode.FLAG_NOT_FOUND,
  TYPE_MISMATCH: ErrorCode.TYPE_MISMATCH,
  PARSE_ERROR: ErrorCode.PARSE_ERROR,
  INVALID_CONTEXT: ErrorCode.INVALID_CONTEXT,
  GENERAL: ErrorCode.GENERAL,
  PROVIDER_NOT_READY: ErrorCode.PROVIDER_NOT_READY,
};

/**
 * Options of {@link FlagpoleProvider}.
 *
 * @example
 * ```ts
 * const provider = new FlagpoleProvider(client, { closeClient: false }); // the application closes the client itself
 * ```
 */
export interface FlagpoleProviderOptions {
  /**
   * Close the Flagpole client when OpenFeature closes the provider (`OpenFeature.close()`, or a
   * provider replaced). Default: true when the provider built the client from options, false
   * when it was given one.
   */
  readonly closeClient?: boolean;
}

/**
 * An OpenFeature server provider backed by the Flagpole SDK: resolution of all four types runs
 * the SDK's in-memory evaluation (no I/O).
 *
 * Mapping:
 * - reasons pass through: `TARGETING_MATCH`, `SPLIT`, `DEFAULT`, `DISABLED`, `ERROR`, `CACHED`
 *   (served from the snapshot before Kafka confirmed it) and `STALE` (Kafka connection lost) are
 *   OpenFeature standard reasons; `PREREQUISITE_FAILED` (the off variant served because a
 *   prerequisite flag did not hold) has no standard counterpart and is passed as a custom reason;
 * - error codes map one to one: `FLAG_NOT_FOUND`, `TYPE_MISMATCH`, `PARSE_ERROR`,
 *   `INVALID_CONTEXT`, `GENERAL`, `PROVIDER_NOT_READY`;
 * - `flagMetadata` carries `stale`, `source`, and when known `ruleId`, `evaluationReason` (the
 *   engine's reason behind `CACHED`/`STALE`) and `flagVersion`;
 * - `Date` values in the context are passed to the engine as ISO-8601 strings.
 *
 * Events: `PROVIDER_READY` when `initialize` finds the client ready and whenever it becomes ready
 * again; `PROVIDER_STALE` when it serves a snapshot or loses Kafka; `PROVIDER_ERROR` when it has
 * nothing to serve (no Kafka and no snapshot); `PROVIDER_CONFIGURATION_CHANGED` with
 * `flagsChanged` = every flag whose evaluation may have changed.
 *
 * @example
 * ```ts
 * import { OpenFeature } from '@openfeature/server-sdk';
 * import { FlagpoleProvider } from '@flagpole/sdk';
 *
 * await OpenFeature.setProviderAndWait(new FlagpoleProvider({ brokers: ['localhost:19092'], environment: 'production' }));
 * const client = OpenFeature.getClient();
 * const enabled = await client.getBooleanValue('new-checkout', false, { targetingKey: 'user-1' });
 * ```
 */
export class FlagpoleProvider implements Provider {
  /**
   * The provider's name in OpenFeature (`providerName` of its events).
   *
   * @example
   * ```ts
   * OpenFeature.getClient().metadata.providerMetadata.name; // 'flagpole'
   * ```
   */
  readonly metadata = { name: 'flagpole' } as const;
  /**
   * A server-side provider (OpenFeature refuses it in a web client).
   *
   * @example
   * ```ts
   * provider.runsOn; // 'server'
   * ```
   */
  readonly runsOn = 'server' as const;
  /**
   * The provider events OpenFeature listens to (see the class description).
   *
   * @example
   * ```ts
   * provider.events.addHandler(ProviderEvents.Stale, () => logger.warn({}, 'flags may be stale'));
   * ```
   */
  readonly events = new OpenFeatureEventEmitter();
  /**
   * Provider hooks: none.
   *
   * @example
   * ```ts
   * provider.hooks; // []
   * ```
   */
  readonly hooks: Hook[] = [];
  /**
   * The Flagpole client the provider evaluates with (for status, snapshots or direct use).
   *
   * @example
   * ```ts
   * app.get('/health/flags', (_req, res) => res.json(provider.client.status()));
   * ```
   */
  readonly client: FlagEvaluator;
  private readonly closeClient: boolean;
  private subscribed = false;

  /**
   * Wraps an existing client, or builds a {@link FlagpoleClient} from options.
   *
   * @example
   * ```ts
   * const provider = new FlagpoleProvider(createTestClient({ overrides: { 'new-checkout': true } })); // tests
   * ```
   */
  constructor(clientOrOptions: FlagEvaluator | FlagpoleClientOptions, options: FlagpoleProviderOptions = {}) {
    const owned = !isEvaluator(clientOrOptions);
    this.client = isEvaluator(clientOrOptions) ? clientOrOptions : new FlagpoleClient(clientOrOptions);
    this.closeClient = options.closeClient ?? owned;
  }

  /**
   * Called by OpenFeature: starts the client and waits until it is ready or its start timeout
   * passed. Rejects (OpenFeature status ERROR) only when there is nothing to serve; the provider
   * announces READY later, when the client catches up.
   *
   * @example
   * ```ts
   * await OpenFeature.setProviderAndWait(provider); // calls initialize()
   * ```
   */
  async initialize(): Promise<void> {
    const status = await this.client.start();
    this.subscribe();
    if (status.source === 'none' && status.state !== 'READY') {
      throw new Error(`flagpole: no flag configuration (${status.lastError ?? 'Kafka not read to its end'}); serving defaults until it arrives`);
    }
    if (status.state === 'STALE') {
      // OpenFeature marks the provider READY when initialize resolves; say right after that the
      // configuration is a snapshot (or old).
      setImmediate(() => {
        if (this.client.status().state === 'STALE') this.events.emit(ProviderEvents.Stale, { message: staleMessage(this.client.status()) });
      });
    }
  }

  /**
   * Called by OpenFeature on shutdown: stops forwarding events and closes the client if the
   * provider owns it.
   *
   * @example
   * ```ts
   * await OpenFeature.close(); // calls onClose()
   * ```
   */
  async onClose(): Promise<void> {
    this.unsubscribe();
    if (this.closeClient) await this.client.close();
  }

  /**
   * Resolves a boolean flag.
   *
   * @example
   * ```ts
   * const details = await OpenFeature.getClient().getBooleanDetails('new-checkout', false, { targetingKey: 'u1' });
   * ```
   */
  async resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: OpenFeatureContext): Promise<ResolutionDetails<boolean>> {
    return resolution(this.client.getBooleanDetails(flagKey, defaultValue, toFlagpoleContext(context)));
  }

  /**
   * Resolves a string flag.
   *
   * @example
   * ```ts
   * const theme = await OpenFeature.getClient().getStringValue('theme', 'classic', { targetingKey: 'u1' });
   * ```
   */
  async resolveStringEvaluation(flagKey: string, defaultValue: string, context: OpenFeatureContext): Promise<ResolutionDetails<string>> {
    return resolution(this.client.getStringDetails(flagKey, defaultValue, toFlagpoleContext(context)));
  }

  /**
   * Resolves a number flag.
   *
   * @example
   * ```ts
   * const limit = await OpenFeature.getClient().getNumberValue('rate-limit', 100, { targetingKey: 'tenant-1' });
   * ```
   */
  async resolveNumberEvaluation(flagKey: string, defaultValue: number, context: OpenFeatureContext): Promise<ResolutionDetails<number>> {
    return resolution(this.client.getNumberDetails(flagKey, defaultValue, toFlagpoleContext(context)));
  }

  /**
   * Resolves a JSON flag (OpenFeature's "object" type).
   *
   * @example
   * ```ts
   * const banner = await OpenFeature.getClient().getObjectValue('banner', { text: '' }, { targetingKey: 'u1' });
   * ```
   */
  async resolveObjectEvaluation<T extends OpenFeatureJsonValue>(
    flagKey: string,
    defaultValue: T,
    context: OpenFeatureContext,
  ): Promise<ResolutionDetails<T>> {
    const details = this.client.getJsonDetails<JsonValue>(flagKey, defaultValue, toFlagpoleContext(context));
    return resolution(details) as ResolutionDetails<T>;
  }

  private readonly onReady = (): void => this.events.emit(ProviderEvents.Ready, { message: 'flagpole: caught up with Kafka' });
  private readonly onStale = (status: FlagpoleStatus): void => this.events.emit(ProviderEvents.Stale, { message: staleMessage(status) });
  private readonly onError = (error: Error): void => {
    // Failed reconnection attempts while a configuration is served show as STALE; ERROR is for
    // "nothing to serve".
    if (this.client.status().source === 'none') this.events.emit(ProviderEvents.Error, { message: error.message });
  };
  private readonly onChange = (change: ConfigurationChangeEvent): void =>
    this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: [...change.flagKeys] });

  private subscribe(): void {
    if (this.subscribed) return;
    this.subscribed = true;
    this.client.on('ready', this.onReady).on('stale', this.onStale).on('error', this.onError).on('change', this.onChange);
  }

  private unsubscribe(): void {
    if (!this.subscribed) return;
    this.subscribed = false;
    this.client.off('ready', this.onReady).off('stale', this.onStale).off('error', this.onError).off('change', this.onChange);
  }
}

function resolution<T extends JsonValue>(details: FlagEvaluationDetails<T>): ResolutionDetails<T> {
  const flagMetadata: Record<string, string | number | boolean> = { stale: details.stale, source: details.source };
  if (details.ruleId !== undefined) flagMetadata.ruleId = details.ruleId;
  if (details.evaluationReason !== undefined) flagMetadata.evaluationReason = details.evaluationReason;
  if (details.flagVersion !== undefined) flagMetadata.flagVersion = details.flagVersion;
  const result: ResolutionDetails<T> = { value: details.value, reason: details.reason, flagMetadata: flagMetadata as FlagMetadata };
  if (details.variant !== undefined) result.variant = details.variant;
  if (details.errorCode !== undefined) result.errorCode = ERROR_CODES[details.errorCode];
  if (details.errorMessage !== undefined) result.errorMessage = details.errorMessage;
  return result;
}

function staleMessage(status: FlagpoleStatus): string {
  return status.source === 'snapshot'
    ? 'flagpole: serving the local snapshot until Kafka is read'
    : `flagpole: flags may be out of date (${status.lastError ?? 'Kafka connection lost'})`;
}

function isEvaluator(value: FlagEvaluator | FlagpoleClientOptions): value is FlagEvaluator {
  return typeof (value as FlagEvaluator).getBooleanDetails === 'function';
}

/**
 * Converts an OpenFeature context for the engine: `Date` values (which OpenFeature allows) become
 * ISO-8601 strings, the form the engine's date operators read. Contexts without dates are passed
 * as they are.
 *
 * @example
 * ```ts
 * toFlagpoleContext({ targetingKey: 'u1', signedUpAt: new Date('2024-01-01') }); // { targetingKey: 'u1', signedUpAt: '2024-01-01T00:00:00.000Z' }
 * ```
 */
export function toFlagpoleContext(context: OpenFeatureContext | undefined): EvaluationContext {
  if (context === undefined || context === null) return {};
  return hasDate(context, 0) ? (convert(context, 0) as EvaluationContext) : context;
}

const MAX_DEPTH = 32;

function hasDate(value: unknown, depth: number): boolean {
  if (value instanceof Date) return true;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.some((v) => hasDate(v, depth + 1));
  for (const key in value) if (hasDate((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

function convert(value: unknown, depth: number): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => convert(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = convert((value as Record<string, unknown>)[key], depth + 1);
  return out;
}
