import type { ArchiveFlag, ConfigureFlagEnvironment, RestoreFlag, SetFlagVariants, ToggleFlag, UpdateFlagMetadata } from '../flag/flag.commands';
import { aggregateIds, type AggregateType } from '../events/event-envelope.types';
import type { CreateSegment, DeleteSegment, UpdateSegment } from '../segment/segment.commands';
import { assertNever } from '../shared/assert-never';
import type { SetApprovalPolicy } from './approval-policy.commands';

/**
 * The commands an approval policy can hold back, and so the ones a change request may propose.
 * Creating environments, flags (they start off everywhere) and tokens is not governed.
 */
export const GOVERNED_COMMAND_TYPES = [
  'ToggleFlag',
  'ConfigureFlagEnvironment',
  'SetFlagVariants',
  'ArchiveFlag',
  'RestoreFlag',
  'UpdateFlagMetadata',
  'CreateSegment',
  'UpdateSegment',
  'DeleteSegment',
  'SetApprovalPolicy',
] as const;

export type GovernedCommand =
  | ToggleFlag
  | ConfigureFlagEnvironment
  | SetFlagVariants
  | ArchiveFlag
  | RestoreFlag
  | UpdateFlagMetadata
  | CreateSegment
  | UpdateSegment
  | DeleteSegment
  | SetApprovalPolicy;

export type GovernedCommandType = GovernedCommand['type'];

export function isGovernedType(type: unknown): type is GovernedCommandType {
  return (GOVERNED_COMMAND_TYPES as readonly unknown[]).includes(type);
}

export function isGovernedCommand(command: { readonly type: string }): command is GovernedCommand {
  return isGovernedType(command.type);
}

/** The aggregate a governed command changes. */
export function governedAggregate(command: Pick<GovernedCommand, 'type' | 'data'>): { readonly type: AggregateType; readonly id: string } {
  const c = command as GovernedCommand;
  switch (c.type) {
    case 'ToggleFlag':
    case 'ConfigureFlagEnvironment':
    case 'SetFlagVariants':
    case 'ArchiveFlag':
    case 'RestoreFlag':
    case 'UpdateFlagMetadata':
      return { type: 'flag', id: aggregateIds.flag(c.data.key) };
    case 'CreateSegment':
    case 'UpdateSegment':
    case 'DeleteSegment':
      return { type: 'segment', id: aggregateIds.segment(c.data.environment, c.data.key) };
    case 'SetApprovalPolicy':
      return { type: 'approvalPolicy', id: aggregateIds.approvalPolicy(c.data.environment) };
    default:
      return assertNever(c, 'governed command');
  }
}

/**
 * The environments a command reaches, whose policies therefore apply: its own environment, or
 * every environment for flag-wide changes (variants, metadata, archive, restore) — the same
 * split as the token scopes, where flag-wide changes need a token scoped to "*".
 */
export function environmentsReachedBy(command: Pick<GovernedCommand, 'type' | 'data'>, allEnvironments: readonly string[]): readonly string[] {
  const c = command as GovernedCommand;
  switch (c.type) {
    case 'ToggleFlag':
    case 'ConfigureFlagEnvironment':
    case 'CreateSegment':
    case 'UpdateSegment':
    case 'DeleteSegment':
    case 'SetApprovalPolicy':
      return [c.data.environment];
    case 'SetFlagVariants':
    case 'ArchiveFlag':
    case 'RestoreFlag':
    case 'UpdateFlagMetadata':
      return allEnvironments;
    default:
      return assertNever(c, 'governed command');
  }
}
