import type { FlagEnvironmentConfig, FlagType } from '@flagpole/evaluation';
import type { Event } from '../shared/decider.types';
import type { FlagMetadata, Variants } from './flag.types';

export type FlagCreated = Event<
  'FlagCreated',
  FlagMetadata & {
    readonly key: string;
    readonly type: FlagType;
    readonly variants: Variants;
    /** Served by default when the flag is on in an environment nobody configured yet. */
    readonly onVariant: string;
    /** Served by default when the flag is off. */
    readonly offVariant: string;
  }
>;
export type FlagMetadataUpdated = Event<'FlagMetadataUpdated', { readonly changes: Partial<FlagMetadata> }>;
export type FlagVariantsSet = Event<
  'FlagVariantsSet',
  { readonly variants: Variants; readonly onVariant: string; readonly offVariant: string }
>;
export type FlagEnvironmentConfigured = Event<
  'FlagEnvironmentConfigured',
  { readonly environment: string; readonly config: FlagEnvironmentConfig }
>;
export type FlagToggled = Event<'FlagToggled', { readonly environment: string; readonly on: boolean }>;
export type FlagArchived = Event<'FlagArchived', Readonly<Record<string, never>>>;
export type FlagRestored = Event<'FlagRestored', Readonly<Record<string, never>>>;

export type FlagEvent =
  | FlagCreated
  | FlagMetadataUpdated
  | FlagVariantsSet
  | FlagEnvironmentConfigured
  | FlagToggled
  | FlagArchived
  | FlagRestored;
