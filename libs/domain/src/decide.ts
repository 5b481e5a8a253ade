import { decideEnvironment } from './environment/environment.decider';
import { aggregateIds, type AggregateType, type DomainEvent } from './events/event-envelope.types';
import { decideFlag } from './flag/flag.decider';
import { decideSegment } from './segment/segment.decider';
import { assertNever } from './shared/assert-never';
import { decideToken } from './token/token.decider';
import type { FlagpoleCommand } from './commands';
import type { FlagpoleState } from './state/flagpole-state';
import { decisionContextOf } from './state/state-decision-context';

export interface Decision {
  readonly aggregateType: AggregateType;
  readonly aggregateId: string;
  /** The aggregate's version the events build on. */
  readonly baseVersion: number;
  readonly events: readonly DomainEvent[];
}

/** Routes a command to its aggregate's decider over the current state. Throws DomainError. */
export function decide(command: FlagpoleCommand, state: FlagpoleState): Decision {
  const ctx = decisionContextOf(state);
  switch (command.type) {
    case 'CreateEnvironment': {
      const id = aggregateIds.environment(command.data.key);
      const current = state.environment(id);
      return { aggregateType: 'environment', aggregateId: id, baseVersion: current.version, events: decideEnvironment(command, current) };
    }
    case 'CreateFlag':
    case 'UpdateFlagMetadata':
    case 'SetFlagVariants':
    case 'ConfigureFlagEnvironment':
    case 'ToggleFlag':
    case 'ArchiveFlag':
    case 'RestoreFlag': {
      const id = aggregateIds.flag(command.data.key);
      const current = state.flag(id);
      return { aggregateType: 'flag', aggregateId: id, baseVersion: current.version, events: decideFlag(command, current, ctx) };
    }
    case 'CreateSegment':
    case 'UpdateSegment':
    case 'DeleteSegment': {
      const id = aggregateIds.segment(command.data.environment, command.data.key);
      const current = state.segment(id);
      return { aggregateType: 'segment', aggregateId: id, baseVersion: current.version, events: decideSegment(command, current, ctx) };
    }
    case 'IssueToken':
    case 'RevokeToken': {
      const id = aggregateIds.token(command.data.tokenId);
      const current = state.token(id);
      return { aggregateType: 'token', aggregateId: id, baseVersion: current.version, events: decideToken(command, current, ctx) };
    }
    default:
      return assertNever(command, 'command');
  }
}
