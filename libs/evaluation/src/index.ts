/**
 * @flagpole/evaluation: the pure flag model, its validation and its evaluation engine.
 * SPEC.md (next to this library) is the normative description every SDK follows.
 */
export * from './model/flag.types';
export type { EvaluationContext, EvaluateOptions } from './model/context.types';
export type { EvaluationReason, EvaluationErrorCode, EvaluationResult, EvaluateFlagOptions } from './model/result.types';

export type { Problem } from './validation/problem.types';
export { validateVariants, FLAG_TYPES } from './validation/variants.validation';
export { validateEnvironmentConfig, type ValidationOptions, type FlagHeader } from './validation/environment.validation';
export { validateFlagDefinition } from './validation/flag.validation';
export { validateSegment } from './validation/segment.validation';
export { LIMITS } from './validation/limits';
export { FLAG_KEY, SEGMENT_KEY, VARIANT_NAME, RULE_ID, ENVIRONMENT_KEY } from './validation/keys';

export { referencedSegments, findPrerequisiteCycle } from './graph/references';

export type { CompiledFlag, CompiledSegment, FlagStore } from './compile/compiled.types';
export { compileFlag } from './compile/flag.compile';
export { compileSegment } from './compile/segment.compile';
export { MAX_PREREQUISITE_DEPTH } from './compile/limits';
export { evaluate, evaluateFlag, evaluateTypedFlag } from './evaluate/evaluate';
export { InMemoryFlagStore } from './store/in-memory-flag-store';
export { bucketOf, bucketKey, DEFAULT_MODULUS, DEFAULT_SEED, DEFAULT_BUCKET_BY } from './hashing/bucket';
export * from './unleash';
