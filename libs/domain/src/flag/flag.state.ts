import type { FlagEnvironmentConfig, FlagType } from '@flagpole/evaluation';
import type { EnvironmentConfigs, FlagMetadata, Variants } from './flag.types';

export interface ExistingFlag {
  readonly status: 'active' | 'archived';
  readonly version: number;
  readonly key: string;
  readonly type: FlagType;
  readonly variants: Variants;
  readonly onVariant: string;
  readonly offVariant: string;
  readonly metadata: FlagMetadata;
  /** Only environments somebody configured or toggled; the rest use `defaultEnvironmentConfig`. */
  readonly environments: EnvironmentConfigs;
}

export type FlagState = { readonly status: 'absent'; readonly version: 0 } | ExistingFlag;

export const initialFlagState: FlagState = { status: 'absent', version: 0 };

/** A flag nobody configured in an environment is off there and would serve its on variant. */
export function defaultEnvironmentConfig(flag: Pick<ExistingFlag, 'onVariant' | 'offVariant'>): FlagEnvironmentConfig {
  return { on: false, offVariant: flag.offVariant, fallthrough: { variant: flag.onVariant } };
}

export function environmentConfigOf(flag: ExistingFlag, environment: string): FlagEnvironmentConfig {
  return flag.environments[environment] ?? defaultEnvironmentConfig(flag);
}
