/**
 * @flagpole/sdk — the Node SDK services embed to evaluate Flagpole feature flags in memory.
 *
 * - {@link FlagpoleClient}: reads `<prefix>.flags.<env>` from Kafka, serves typed evaluations,
 *   emits changes, persists a snapshot; see libs/sdk/README.md.
 * - {@link FlagpoleProvider}: the same as an OpenFeature server provider.
 * - {@link createTestClient} / {@link InMemoryFlagpoleClient}: pinned flags for unit tests.
 */
export { FlagpoleClient } from './client/flagpole-client';
export type { FlagpoleClientOptions } from './client/options';
export { FlagEvaluatorBase, type FlagEvaluator } from './evaluator/flag-evaluator';
export { FlagpoleProvider, toFlagpoleContext, type FlagpoleProviderOptions } from './openfeature/flagpole-provider';
export { createTestClient, InMemoryFlagpoleClient, OVERRIDE_VARIANT, type TestClientOptions } from './testing/in-memory-client';
export { SNAPSHOT_FORMAT, type FlagpoleSnapshot } from './state/snapshot';
export { silentLogger, type FlagpoleLogger } from './logger';
export type {
  ConfigurationChangeEvent,
  ConfigurationSource,
  FlagChangeEvent,
  FlagEvaluationDetails,
  FlagpoleErrorCode,
  FlagpoleEventMap,
  FlagpoleReason,
  FlagpoleState,
  FlagpoleStatus,
  SegmentChangeEvent,
  StartupTimings,
  Unsubscribe,
} from './types';
export type { EvaluationContext, FlagDefinition, JsonValue, SegmentDefinition } from '@flagpole/evaluation';
