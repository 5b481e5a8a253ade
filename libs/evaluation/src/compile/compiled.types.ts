import type { FlagType } from '../model/flag.types';
import type { EvaluationContext } from '../model/context.types';
import type { EvaluationResult } from '../model/result.types';

/** Where compiled flags and segments are looked up during an evaluation (prerequisites, segments). */
export interface FlagStore {
  getFlag(key: string): CompiledFlag | undefined;
  getSegment(key: string): CompiledSegment | undefined;
}

/**
 * A compiled predicate over a context. `store` resolves segments, `now` is the evaluation's
 * current time (for `currentTime`). They are plain arguments rather than one per-evaluation
 * object: nothing to allocate or recycle per evaluation, and nothing shared between evaluations.
 * @internal
 */
export type Predicate = (context: EvaluationContext, store: FlagStore, now: number | undefined) => boolean;

/**
 * Runs a compiled flag. `chain` is the stack of flags whose prerequisites are being checked
 * (undefined at the top: it is created by the first prerequisite met). @internal
 */
export type Runner = (context: EvaluationContext, store: FlagStore, now: number | undefined, chain: string[] | undefined) => EvaluationResult;

/** A flag compiled for one environment: compiled once, evaluated many times. */
export interface CompiledFlag {
  readonly key: string;
  readonly type: FlagType;
  readonly environment: string;
  /** Whether the flag is on in this environment (false as well for a flag that failed to compile). */
  readonly on: boolean;
  /** Evaluation entry point used by `evaluate` (a method: call it on the flag); call `evaluate` instead. @internal */
  readonly run: Runner;
}

/** A compiled segment. */
export interface CompiledSegment {
  readonly key: string;
  /** Whether the context is in the segment (excluded wins, then included, then condition). @internal */
  readonly contains: Predicate;
}
