import type { EvaluationContext } from '../model/context.types';
import { attributeFor, RANDOM_ATTRIBUTE } from './attributes';
import { isRecord } from './parse';

/** An Unleash SDK context (`userId`, `sessionId`, …, `properties` for custom fields). */
export interface UnleashContext {
  readonly userId?: string;
  readonly sessionId?: string;
  readonly remoteAddress?: string;
  readonly environment?: string;
  readonly appName?: string;
  readonly currentTime?: Date | string | number;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

export interface ToFlagpoleContextOptions {
  /**
   * The per-evaluation random draw Unleash takes where it has no id. Default `Math.random`;
   * tests inject their own to be deterministic.
   */
  readonly random?: () => number;
  /** What an Unleash SDK merges under every context from its configuration. */
  readonly staticContext?: { readonly appName?: string; readonly environment?: string };
}

/**
 * An Unleash context as a Flagpole evaluation context, resolving fields the way Unleash does
 * (`context[field] ?? context.properties[field]`, stringified):
 *
 * - custom `properties` are flattened to top-level attributes; a top-level field of the same
 *   name wins; null/undefined values are left out (absent, as in Unleash);
 * - field names are passed through {@link attributeFor} (dots escaped);
 * - `currentTime` becomes an ISO-8601 instant (a falsy one is left out, so the engine's `now`
 *   applies, as Unleash then uses the clock);
 * - `targetingKey` is the `userId` (unless the context carries its own `targetingKey` field), so
 *   Flagpole-native targets, segment lists and default bucketing work on imported contexts;
 * - the random draw goes to {@link RANDOM_ATTRIBUTE}, once per call.
 */
export function toFlagpoleContext(context: unknown, options: ToFlagpoleContextOptions = {}): EvaluationContext {
  const merged: Record<string, unknown> = { ...options.staticContext, ...(isRecord(context) ? context : {}) };
  const out: Record<string, string> = {};
  const properties = merged.properties;
  if (isRecord(properties)) {
    for (const [name, value] of Object.entries(properties)) {
      if (value !== undefined && value !== null) out[attributeFor(name)] = String(value);
    }
  }
  for (const [name, value] of Object.entries(merged)) {
    if (name === 'properties' || value === undefined || value === null) continue;
    if (name === 'currentTime') {
      const time = instant(value);
      if (time === undefined) delete out[attributeFor(name)];
      else out[attributeFor(name)] = time;
      continue;
    }
    out[attributeFor(name)] = String(value);
  }
  if (out.targetingKey === undefined && out.userId !== undefined && typeof merged.userId === 'string') {
    out.targetingKey = merged.userId;
  }
  const draw = (options.random ?? Math.random)();
  out[RANDOM_ATTRIBUTE] = String(Math.floor(draw * 1_000_000_000));
  return out;
}

/**
 * Unleash evaluates dates against `new Date(context.currentTime)`, or the clock when it is falsy.
 * Valid dates become ISO-8601 (what the engine parses); invalid ones stay as they are, so they
 * match nothing, like Unleash's Invalid Date.
 */
function instant(value: unknown): string | undefined {
  if (!value) return undefined;
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) return String(value);
  return date.toISOString();
}
