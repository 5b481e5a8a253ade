import type { FlagEnvironmentConfig, FlagType, JsonValue } from '@flagpole/evaluation';

export const FLAG_KINDS = ['release', 'experiment', 'operational', 'permission'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export const FLAG_TYPES: readonly FlagType[] = ['boolean', 'string', 'number', 'json'];

export type Variants = Readonly<Record<string, JsonValue>>;

/** What people say about a flag; none of it changes how the flag evaluates. */
export interface FlagMetadata {
  readonly name: string;
  readonly description: string;
  readonly kind: FlagKind;
  readonly owner: string;
  readonly tags: readonly string[];
  /** ISO-8601; null for flags meant to live forever (operational, permission). */
  readonly expiresAt: string | null;
}

export type EnvironmentConfigs = Readonly<Record<string, FlagEnvironmentConfig>>;
