// The Flagpole engine through its public entry point (libs/evaluation/src/index.ts), imported by
// relative path: `@flagpole/evaluation` is a TypeScript path mapping that plain node cannot
// resolve in the compiled benchmark.
export { InMemoryFlagStore, evaluateFlag } from '../../../../libs/evaluation/src';
export type { EvaluationContext, FlagDefinition } from '../../../../libs/evaluation/src';
