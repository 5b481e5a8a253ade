import {
  defaultEnvironmentConfig,
  type AggregateType,
  type ExistingFlag,
  type FlagState,
} from '@flagpole/domain';
import type { FlagEnvironmentConfig, JsonValue } from '@flagpole/evaluation';
import { diffJson, type DiffEntry } from './json-diff';
import type { AggregateState } from '../projection/aggregate-record';

type JsonObject = { readonly [key: string]: JsonValue };

/**
 * What changed in an aggregate through one event: its state before and after, compared field by
 * field. The version is left out (it changes every time and the audit row carries it), and a
 * flag's metadata is flattened so paths read `/owner`, `/tags`, `/environments/production/on`.
 */
export function diffAggregate(aggregateType: AggregateType, before: AggregateState, after: AggregateState): DiffEntry[] {
  if (aggregateType === 'flag') return diffJson(...flagViews(before as FlagState, after as FlagState));
  return diffJson(plain(before), plain(after));
}

/**
 * An environment nobody configured serves the flag's default configuration; comparing against
 * that default makes a first toggle read `/environments/production/on: false → true` rather
 * than a whole configuration appearing from nowhere.
 */
function flagViews(before: FlagState, after: FlagState): [JsonValue, JsonValue] {
  if (before.status === 'absent' || after.status === 'absent') return [flagView(before, undefined), flagView(after, undefined)];
  const environments = new Set([...Object.keys(before.environments), ...Object.keys(after.environments)]);
  return [flagView(before, environments), flagView(after, environments)];
}

function flagView(flag: FlagState, materialise: ReadonlySet<string> | undefined): JsonObject {
  if (flag.status === 'absent') return {};
  const environments: Record<string, JsonValue> = {};
  for (const env of materialise ?? Object.keys(flag.environments)) environments[env] = toJson(configOrDefault(flag, env));
  const { status, key, type, variants, onVariant, offVariant, metadata } = flag;
  return { status, key, type, ...toJsonObject(metadata), variants, onVariant, offVariant, environments };
}

function configOrDefault(flag: ExistingFlag, environment: string) {
  return flag.environments[environment] ?? sharedDefaultConfig(flag);
}

/**
 * One default configuration object per (onVariant, offVariant): the diff skips sub-trees that are
 * the same object before and after, and a fresh default per side made it compare every
 * unconfigured environment of every flag event field by field. Diffs only read these objects.
 */
function sharedDefaultConfig(flag: ExistingFlag): FlagEnvironmentConfig {
  const key = `${flag.onVariant}\u0000${flag.offVariant}`;
  let config = DEFAULT_CONFIGS.get(key);
  if (config === undefined) {
    config = defaultEnvironmentConfig(flag);
    if (DEFAULT_CONFIGS.size < 1000) DEFAULT_CONFIGS.set(key, config);
  }
  return config;
}

const DEFAULT_CONFIGS = new Map<string, FlagEnvironmentConfig>();

function plain(state: AggregateState): JsonObject {
  if (state.status === 'absent') return {};
  const { version: _version, ...rest } = state as { version: number } & Record<string, unknown>;
  return toJsonObject(rest);
}

/** Domain states are built from parsed JSON events, so they are JSON already; this only retypes. */
function toJson(value: unknown): JsonValue {
  return value as JsonValue;
}

function toJsonObject(value: object): JsonObject {
  return value as JsonObject;
}
