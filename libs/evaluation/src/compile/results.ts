import type { JsonPrimitive, JsonValue } from '../model/flag.types';
import type { EvaluationErrorCode, EvaluationReason, EvaluationResult } from '../model/result.types';
import { Interner, joinKey } from './interner';

/**
 * Results are frozen and shared between evaluations: the hot path returns a precomputed object
 * instead of allocating one.
 */
export function fixedResult(value: JsonValue, variant: string, reason: EvaluationReason, ruleId?: string): EvaluationResult {
  const build = (): EvaluationResult =>
    ruleId === undefined ? Object.freeze({ value, variant, reason }) : Object.freeze({ value, variant, reason, ruleId });
  // Object values are per flag (deep-frozen copies); describing them by value would cost more than it saves.
  if (typeof value === 'object' && value !== null) return build();
  return results.intern(resultKey(value, variant, reason, ruleId), build);
}

// Results with a primitive value repeat across flags (every boolean flag has its on/DEFAULT and
// off/DISABLED, rules named alike serve alike), so they are shared.
const results = new Interner<EvaluationResult>(4096);

function resultKey(value: JsonPrimitive, variant: string, reason: EvaluationReason, ruleId: string | undefined): string {
  // Variant names and rule ids cannot contain NUL (validation), so the parts cannot run together.
  const valueText = Object.is(value, -0) ? '-0' : String(value);
  return joinKey([reason, variant, ruleId === undefined ? '\u0001' : ruleId, typeof value, valueText], '\u0000');
}

/**
 * The SPLIT results of a rollout's variants, in order, shared like the results themselves between
 * rollouts that serve the same variants (every boolean percentage rollout serves on and off).
 */
export function splitResults(variants: readonly { variant: string; value: JsonValue }[], ruleId?: string): readonly EvaluationResult[] {
  // Not frozen, unlike the results: V8 reads frozen arrays through a slower elements kind, and the
  // list never leaves the compiled rollout.
  const build = (): readonly EvaluationResult[] => variants.map(({ variant, value }) => fixedResult(value, variant, 'SPLIT', ruleId));
  const keys: string[] = [];
  for (const { variant, value } of variants) {
    if (typeof value === 'object' && value !== null) return build();
    keys.push(resultKey(value, variant, 'SPLIT', ruleId));
  }
  return resultLists.intern(joinKey(keys, '\u0002'), build);
}

const resultLists = new Interner<readonly EvaluationResult[]>(1024, 1024);

/** An ERROR result carrying the given fallback value. */
export function errorResult(value: JsonValue, errorCode: EvaluationErrorCode, errorMessage: string): EvaluationResult {
  return Object.freeze({ value, reason: 'ERROR', errorCode, errorMessage });
}

/** Deep-frozen copy of a variant value, so a caller mutating a served object cannot corrupt others. */
export function frozenValue(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null) return value;
  return deepFreeze(structuredClone(value));
}

function deepFreeze(value: JsonValue): JsonValue {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
