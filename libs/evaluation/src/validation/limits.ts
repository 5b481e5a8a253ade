/**
 * Size bounds of a definition. They keep a hostile or broken payload from costing unbounded memory
 * or time at validation, compilation and evaluation; SPEC.md lists them for other implementations.
 */
export const LIMITS = Object.freeze({
  maxVariants: 100,
  maxStringVariantLength: 65_536,
  maxJsonDepth: 32,
  maxJsonNodes: 10_000,
  maxEnvironments: 100,
  maxTargets: 100,
  maxTargetValues: 10_000,
  maxRules: 1_000,
  maxPrerequisites: 50,
  maxConditionDepth: 10,
  maxConditionChildren: 100,
  /** Condition nodes (all/any/not/percentage/clause) across one environment or segment. */
  maxConditionNodes: 5_000,
  maxClauseValues: 1_000,
  maxClauseStringLength: 1_024,
  maxAttributeLength: 256,
  maxAttributeSegments: 16,
  maxBucketBy: 10,
  maxSaltLength: 256,
  maxRolloutVariants: 100,
  maxModulus: 2 ** 32,
  maxSeed: 2 ** 32 - 1,
  maxSegmentValues: 10_000,
  maxDescriptionLength: 1_000,
});
