export { importUnleashFeatures, type UnleashImport, type UnleashImportOptions } from './importer';
export { toFlagpoleContext, type ToFlagpoleContextOptions, type UnleashContext } from './context';
export {
  evaluateUnleash,
  toUnleashAnswer,
  unleashGetVariant,
  unleashIsEnabled,
  type UnleashEvaluationOptions,
} from './result';
export { answerFromJson, type UnleashAnswer } from './answers';
export { foldUnleashDelta } from './delta';
export { flagKeyFor, segmentKeyFor } from './keys';
export { attributeFor, RANDOM_ATTRIBUTE } from './attributes';
export type { Problem as UnleashImportProblem, UnleashVariantResult } from './unleash.types';
