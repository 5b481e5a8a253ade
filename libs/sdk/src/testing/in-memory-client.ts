import {
  validateFlagDefinition,
  validateSegment,
  type FlagDefinition,
  type FlagType,
  type JsonValue,
  type SegmentDefinition,
} from '@flagpole/evaluation';
import { FlagEvaluatorBase } from '../evaluator/flag-evaluator';
import { silentLogger, type FlagpoleLogger } from '../logger';
import { FlagState, type StateUpdate } from '../state/flag-state';
import type { FlagpoleStatus } from '../types';

/**
 * What an {@link InMemoryFlagpoleClient} starts with.
 *
 * @example
 * ```ts
 * const flags = createTestClient({ overrides: { 'new-checkout': true, 'max-items': 50 } });
 * ```
 */
export interface TestClientOptions {
  /** The environment flag definitions are configured for; default `test`. */
  readonly environment?: string;
  /** Flag key → the value served to every context (see {@link InMemoryFlagpoleClient.override}). */
  readonly overrides?: Readonly<Record<string, JsonValue>>;
  /** Complete flag definitions, evaluated by the engine like in production (targeting, rollouts…). */
  readonly flags?: readonly FlagDefinition[];
  readonly segments?: readonly SegmentDefinition[];
  /** The engine's `now` for `currentTime` clauses; default `Date.now`. */
  readonly clock?: () => number;
  readonly logger?: FlagpoleLogger;
}

/**
 * The variant an override serves.
 *
 * @example
 * ```ts
 * expect(createTestClient().override('a', true).getBooleanDetails('a', false).variant).toBe(OVERRIDE_VARIANT);
 * ```
 */
export const OVERRIDE_VARIANT = 'override';

/**
 * A Flagpole client without Kafka, for unit tests (and local development): pin flags to values
 * with {@link InMemoryFlagpoleClient.override}, or load complete definitions with
 * {@link InMemoryFlagpoleClient.putFlag} to exercise real targeting. It implements
 * {@link FlagEvaluator} and evaluates with the same engine and the same code as
 * {@link FlagpoleClient}; it is READY from the start, its source is `memory`, and every change
 * emits `change` / `flagChange` events like a Kafka update would.
 *
 * An override is a flag of one variant (`override`) served to everyone, reason `DEFAULT`; its type
 * is the value's (`boolean`, `string`, `number`, else `json`), so asking for another type answers
 * the default with `TYPE_MISMATCH`, as in production.
 *
 * @example
 * ```ts
 * import { createTestClient } from '@flagpole/sdk';
 *
 * describe.each([true, false])('checkout with new-checkout=%s', (enabled) => {
 *   it('charges the same total on both paths', () => {
 *     const flags = createTestClient().override('new-checkout', enabled);
 *     expect(new CheckoutService(flags).total(cart, user)).toBe(42);
 *   });
 * });
 * ```
 */
export class InMemoryFlagpoleClient extends FlagEvaluatorBase {
  private readonly environment: string;
  private readonly definitions = new Map<string, FlagDefinition>();
  private readonly overridden = new Map<string, FlagDefinition>();
  private readonly versions = new Map<string, number>();
  private closed = false;
  private lastUpdateAt: number | undefined;

  /**
   * Creates a client holding `options`' overrides, flags and segments.
   *
   * @example
   * ```ts
   * const flags = new InMemoryFlagpoleClient({ environment: 'production', flags: [checkoutFlag] });
   * ```
   */
  constructor(options: TestClientOptions = {}) {
    const logger = options.logger ?? silentLogger;
    const environment = options.environment ?? 'test';
    super(new FlagState(environment, logger), options.clock ?? Date.now, logger);
    this.environment = environment;
    this.serving = 'live';
    this.source = 'memory';
    for (const segment of options.segments ?? []) this.putSegment(segment);
    for (const flag of options.flags ?? []) this.putFlag(flag);
    for (const [key, value] of Object.entries(options.overrides ?? {})) this.override(key, value);
  }

  /**
   * Serves `value` for `flagKey` to every context, replacing any definition of that key until
   * {@link InMemoryFlagpoleClient.clearOverride}. `type` defaults to the value's own type.
   *
   * @example
   * ```ts
   * flags.override('new-checkout', true).override('banner', { text: 'Hi' }).override('limit', 10);
   * ```
   */
  override(flagKey: string, value: JsonValue, type: FlagType = typeOf(value)): this {
    const definition: FlagDefinition = {
      key: flagKey,
      type,
      variants: { [OVERRIDE_VARIANT]: value },
      environments: { [this.environment]: { on: true, offVariant: OVERRIDE_VARIANT, fallthrough: { variant: OVERRIDE_VARIANT } } },
    };
    refuseInvalid(validateFlagDefinition(definition), `override of ${flagKey}`);
    this.overridden.set(flagKey, definition);
    this.write('flag', flagKey, definition);
    return this;
  }

  /**
   * Removes an override; the flag's definition (from `putFlag`) applies again, or the flag is gone.
   *
   * @example
   * ```ts
   * flags.clearOverride('new-checkout');
   * ```
   */
  clearOverride(flagKey: string): this {
    if (!this.overridden.delete(flagKey)) return this;
    this.write('flag', flagKey, this.definitions.get(flagKey) ?? null);
    return this;
  }

  /**
   * Removes every override.
   *
   * @example
   * ```ts
   * afterEach(() => flags.clearOverrides());
   * ```
   */
  clearOverrides(): this {
    for (const key of [...this.overridden.keys()]) this.clearOverride(key);
    return this;
  }

  /**
   * Adds or replaces a complete flag definition (it must have a configuration for this client's
   * environment to be served). Throws on an invalid definition: a test should not pass by accident.
   *
   * @example
   * ```ts
   * flags.putFlag({
   *   key: 'new-checkout', type: 'boolean', variants: { on: true, off: false },
   *   environments: { test: { on: true, offVariant: 'off',
   *     rules: [{ id: 'beta', condition: { attribute: 'plan', operator: 'in', values: ['beta'] }, serve: { variant: 'on' } }],
   *     fallthrough: { variant: 'off' } } },
   * });
   * ```
   */
  putFlag(definition: FlagDefinition): this {
    refuseInvalid(validateFlagDefinition(definition), `flag ${definition?.key}`);
    this.definitions.set(definition.key, definition);
    if (!this.overridden.has(definition.key)) this.write('flag', definition.key, definition);
    return this;
  }

  /**
   * Removes a flag definition (an override of the key stays until cleared).
   *
   * @example
   * ```ts
   * flags.removeFlag('new-checkout'); // now FLAG_NOT_FOUND → callers get their defaults
   * ```
   */
  removeFlag(flagKey: string): this {
    if (!this.definitions.delete(flagKey)) return this;
    if (!this.overridden.has(flagKey)) this.write('flag', flagKey, null);
    return this;
  }

  /**
   * Adds or replaces a segment. Throws on an invalid definition.
   *
   * @example
   * ```ts
   * flags.putSegment({ key: 'beta-testers', included: ['user-1', 'user-2'] });
   * ```
   */
  putSegment(definition: SegmentDefinition): this {
    refuseInvalid(validateSegment(definition), `segment ${definition?.key}`);
    this.write('segment', definition.key, definition);
    return this;
  }

  /**
   * Removes a segment.
   *
   * @example
   * ```ts
   * flags.removeSegment('beta-testers');
   * ```
   */
  removeSegment(segmentKey: string): this {
    this.write('segment', segmentKey, null);
    return this;
  }

  /**
   * Resolves at once with the (READY) status: there is nothing to connect to.
   *
   * @example
   * ```ts
   * await flags.start();
   * ```
   */
  start(): Promise<FlagpoleStatus> {
    return Promise.resolve(this.status());
  }

  /**
   * Always READY (CLOSED after `close()`), source `memory`, with the counts of flags and segments.
   *
   * @example
   * ```ts
   * expect(flags.status()).toMatchObject({ state: 'READY', source: 'memory' });
   * ```
   */
  status(): FlagpoleStatus {
    const status: FlagpoleStatus = {
      state: this.closed ? 'CLOSED' : 'READY',
      source: 'memory',
      environment: this.environment,
      flags: this.state.flagCount,
      segments: this.state.segmentCount,
      offsets: {},
      startup: {},
    };
    return this.lastUpdateAt === undefined ? status : { ...status, lastUpdateAt: this.lastUpdateAt };
  }

  /**
   * Completes the observables. Evaluation keeps working (an in-memory client is never stale).
   *
   * @example
   * ```ts
   * afterAll(() => flags.close());
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.completeStreams();
  }

  private write(kind: 'flag' | 'segment', key: string, definition: FlagDefinition | SegmentDefinition | null): void {
    const id = `${kind}/${key}`;
    const version = (this.versions.get(id) ?? 0) + 1;
    this.versions.set(id, version);
    const now = this.clock();
    const updatedAt = new Date(now).toISOString();
    let update: StateUpdate;
    if (definition === null) update = { kind, key, record: null };
    else if (kind === 'flag') update = { kind, key, record: { kind, flag: definition as FlagDefinition, version, sequence: version, updatedAt } };
    else update = { kind, key, record: { kind, segment: definition as SegmentDefinition, version, sequence: version, updatedAt } };
    const changes = this.state.apply([update]);
    if (changes.flags.length === 0 && changes.segments.length === 0) return;
    this.lastUpdateAt = now;
    if (!this.closed) this.publish(changes, {}, now);
  }
}

/**
 * Creates an {@link InMemoryFlagpoleClient}: the test factory.
 *
 * @example
 * ```ts
 * const flags = createTestClient({ overrides: { 'new-checkout': false } });
 * expect(flags.getBooleanValue('new-checkout', true)).toBe(false);
 * ```
 */
export function createTestClient(options: TestClientOptions = {}): InMemoryFlagpoleClient {
  return new InMemoryFlagpoleClient(options);
}

function typeOf(value: JsonValue): FlagType {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    default:
      return 'json';
  }
}

function refuseInvalid(problems: readonly { readonly path: string; readonly problem: string }[], what: string): void {
  if (problems.length === 0) return;
  throw new Error(`invalid ${what}: ${problems.map((p) => `${p.path} ${p.problem}`).join('; ')}`);
}
