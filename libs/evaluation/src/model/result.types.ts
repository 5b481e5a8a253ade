import type { FlagType, JsonValue } from './flag.types';

/**
 * Why a value was served, in OpenFeature's vocabulary (SPEC.md "Reasons"):
 * - `DISABLED`: the flag is off in this environment; the off variant is served.
 * - `PREREQUISITE_FAILED`: a prerequisite did not hold; the off variant is served.
 * - `TARGETING_MATCH`: an individual target, or a rule serving a fixed variant, matched.
 * - `SPLIT`: a percentage rollout decided (from a rule or from the fallthrough).
 * - `DEFAULT`: no target or rule matched and the fallthrough serves a fixed variant.
 * - `ERROR`: the flag could not be evaluated; see `errorCode`.
 */
export type EvaluationReason =
  | 'DISABLED'
  | 'TARGETING_MATCH'
  | 'SPLIT'
  | 'DEFAULT'
  | 'PREREQUISITE_FAILED'
  | 'ERROR';

/**
 * Error codes, a subset of OpenFeature's:
 * - `FLAG_NOT_FOUND`: no flag with that key in the store (or no config for the environment).
 * - `TYPE_MISMATCH`: the caller expected another flag type.
 * - `PARSE_ERROR`: the stored definition is invalid and could not be compiled.
 * - `INVALID_CONTEXT`: the context is not an object.
 * - `GENERAL`: anything else, notably prerequisite cycles or excessive prerequisite depth.
 */
export type EvaluationErrorCode =
  | 'FLAG_NOT_FOUND'
  | 'TYPE_MISMATCH'
  | 'PARSE_ERROR'
  | 'INVALID_CONTEXT'
  | 'GENERAL';

/** The outcome of one evaluation. */
export interface EvaluationResult {
  /** The served value; on `ERROR`, the caller's default (evaluateFlag) or the off value (evaluate). */
  readonly value: JsonValue;
  /** The served variant name; absent on `ERROR` from evaluateFlag. */
  readonly variant?: string;
  readonly reason: EvaluationReason;
  /** The id of the rule that decided (only for rule matches). */
  readonly ruleId?: string;
  readonly errorCode?: EvaluationErrorCode;
  readonly errorMessage?: string;
}

/** Options of {@link evaluateFlag}. */
export interface EvaluateFlagOptions {
  readonly now?: number;
  /** When given, a flag of another type yields the caller's default with `TYPE_MISMATCH`. */
  readonly expectedType?: FlagType;
}
