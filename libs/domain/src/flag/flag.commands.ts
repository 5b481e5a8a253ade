import type { Command } from '../shared/decider.types';

/** Payloads arrive from the outside world: the decider validates every field itself. */
export type CreateFlag = Command<
  'CreateFlag',
  {
    readonly key: string;
    readonly name: string;
    readonly description?: string;
    readonly kind?: string;
    readonly type?: string;
    readonly variants?: unknown;
    readonly onVariant?: string;
    readonly offVariant?: string;
    readonly owner?: string;
    readonly tags?: unknown;
    /** ISO-8601, or null for no expiry; omitted → defaulted by kind. */
    readonly expiresAt?: string | null;
  }
>;
export type UpdateFlagMetadata = Command<
  'UpdateFlagMetadata',
  {
    readonly key: string;
    readonly name?: string;
    readonly description?: string;
    readonly kind?: string;
    readonly owner?: string;
    readonly tags?: unknown;
    readonly expiresAt?: string | null;
  }
>;
export type SetFlagVariants = Command<
  'SetFlagVariants',
  { readonly key: string; readonly variants: unknown; readonly onVariant?: string; readonly offVariant?: string }
>;
export type ConfigureFlagEnvironment = Command<
  'ConfigureFlagEnvironment',
  { readonly key: string; readonly environment: string; readonly config: unknown }
>;
export type ToggleFlag = Command<'ToggleFlag', { readonly key: string; readonly environment: string; readonly on: boolean }>;
export type ArchiveFlag = Command<'ArchiveFlag', { readonly key: string }>;
export type RestoreFlag = Command<'RestoreFlag', { readonly key: string }>;

export type FlagCommand =
  | CreateFlag
  | UpdateFlagMetadata
  | SetFlagVariants
  | ConfigureFlagEnvironment
  | ToggleFlag
  | ArchiveFlag
  | RestoreFlag;
