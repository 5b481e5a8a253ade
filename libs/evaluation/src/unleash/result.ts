import type { FlagStore } from '../compile/compiled.types';
import { evaluateFlag } from '../evaluate/evaluate';
import type { EvaluationResult } from '../model/result.types';
import { answerFromJson, DISABLED_ANSWER, type UnleashAnswer } from './answers';
import { toFlagpoleContext, type ToFlagpoleContextOptions } from './context';
import { flagKeyFor } from './keys';
import type { UnleashVariantResult } from './unleash.types';

/**
 * A Flagpole result of an imported flag as Unleash's answers. ERROR results (notably
 * FLAG_NOT_FOUND: Unleash's unknown feature) read as disabled, like an Unleash SDK without a
 * fallback.
 */
export function toUnleashAnswer(result: EvaluationResult | undefined): UnleashAnswer {
  if (result === undefined || result.reason === 'ERROR') return DISABLED_ANSWER;
  return answerFromJson(result.value);
}

export interface UnleashEvaluationOptions extends ToFlagpoleContextOptions {
  /** Epoch milliseconds for date constraints without `currentTime`; default the clock, as Unleash. */
  readonly now?: number;
  /** The flag key policy the import used (see UnleashImportOptions.flagKey). */
  readonly flagKey?: (featureName: string) => string;
}

/** Evaluates an imported feature by its Unleash name and answers both Unleash questions. */
export function evaluateUnleash(
  store: FlagStore,
  featureName: string,
  context: unknown,
  options: UnleashEvaluationOptions = {},
): UnleashAnswer {
  const key = (options.flagKey ?? flagKeyFor)(featureName);
  const result = evaluateFlag(store, key, toFlagpoleContext(context, options), null, {
    now: options.now ?? Date.now(),
    expectedType: 'json',
  });
  return toUnleashAnswer(result);
}

/** Unleash `isEnabled(name, context)` over an imported store. */
export function unleashIsEnabled(store: FlagStore, featureName: string, context: unknown, options?: UnleashEvaluationOptions): boolean {
  return evaluateUnleash(store, featureName, context, options).enabled;
}

/** Unleash `getVariant(name, context)` over an imported store. */
export function unleashGetVariant(
  store: FlagStore,
  featureName: string,
  context: unknown,
  options?: UnleashEvaluationOptions,
): UnleashVariantResult {
  return evaluateUnleash(store, featureName, context, options).variant;
}
