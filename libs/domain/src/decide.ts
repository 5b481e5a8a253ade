import { decideApprovalPolicy } from './approval-policy/approval-policy.decider';
import { policyOf } from './approval-policy/approval-policy.state';
import { environmentsReachedBy, governedAggregate, isGovernedCommand, isGovernedType, GOVERNED_COMMAND_TYPES, type GovernedCommand } from './approval-policy/governed-commands';
import { assessRisk, type RiskReason, type RiskSubject } from './approval-policy/risk-assessment';
import { decideChangeRequest } from './change-request/change-request.decider';
import type { ChangeRequestCommand } from './change-request/change-request.commands';
import type { ExistingChangeRequest } from './change-request/change-request.state';
import type { ChangePreview, ChangeRequestContext, ProposedChange, ProposedChangeInput } from './change-request/change-request.types';
import { decideEnvironment } from './environment/environment.decider';
import { aggregateIds, aggregateTypeOfId, type AggregateType, type DomainEvent } from './events/event-envelope.types';
import { stampEvents } from './events/stamp-events';
import { decideFlag } from './flag/flag.decider';
import { decideSegment } from './segment/segment.decider';
import { assertNever } from './shared/assert-never';
import type { CommandMetadata } from './shared/command-metadata.types';
import { ApprovalRequiredError, DomainError } from './shared/domain-error';
import type { Problem } from './shared/problem.types';
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
  /** Provenance for these events when it differs from the command's (the changes an applied request makes). */
  readonly meta?: CommandMetadata;
}

/**
 * Routes a command to its aggregate's decider over the current state, then holds back a change
 * that an approval policy marks as risky (`ApprovalRequiredError`, nothing decided). Throws
 * DomainError. A command spanning several aggregates (applying a change request) goes through
 * `decideAll`, which also decides the changes the request makes.
 */
export function decide(command: FlagpoleCommand, state: FlagpoleState): Decision {
  const decision = route(command, state);
  if (decision.events.length > 0 && isGovernedCommand(command)) {
    const reasons = riskOf(command, state);
    if (reasons.length > 0) {
      throw new ApprovalRequiredError(`this change needs an approved change request: ${reasons.map((r) => r.problem).join('; ')}`, reasons, {
        type: command.type,
        data: command.data,
        baseVersion: decision.baseVersion,
      });
    }
  }
  return decision;
}

/**
 * Every decision a command leads to, in the order their events are appended — all of them or
 * none: the writer commits them in one Kafka transaction. Applying a change request decides the
 * request's `ChangeRequestApplied` first, then each proposed change (carrying the request's id)
 * on the state the previous ones left; if any is refused now, the whole command is.
 */
export function decideAll(command: FlagpoleCommand, state: FlagpoleState): readonly Decision[] {
  const decision = decide(command, state);
  if (command.type !== 'ApplyChangeRequest' || !decision.events.some((e) => e.type === 'ChangeRequestApplied')) return [decision];
  const scratch = state.fork();
  applyTo(scratch, decision, command.meta);
  const request = scratch.changeRequest(decision.aggregateId) as ExistingChangeRequest;
  const meta: CommandMetadata = {
    actor: command.meta.actor,
    now: command.meta.now,
    correlationId: command.meta.correlationId,
    reason: command.meta.reason ?? request.title,
    changeRequestId: request.id,
  };
  const changes = request.changes.map((change, i) => {
    // The approval is the request's: its changes are not held back again one by one.
    const made: Decision = { ...withFieldPrefix(`changes[${i}]`, () => route({ type: change.type, data: change.data, meta } as FlagpoleCommand, scratch)), meta };
    applyTo(scratch, made, meta);
    return made;
  });
  return [decision, ...changes];
}

/** What applying one proposed change would do now, for the request's detail view. */
export interface ChangeOutcome {
  readonly index: number;
  readonly type: ProposedChange['type'];
  readonly aggregateType: AggregateType;
  readonly aggregateId: string;
  readonly baseVersion: number;
  readonly currentVersion: number;
  /** The aggregate before and after this change (after the earlier changes of the request). */
  readonly before: unknown;
  readonly after: unknown;
  /** What the policies in force say about the change now. */
  readonly risk: readonly RiskReason[];
  /** Why it would be refused now, if it would be. */
  readonly problems: readonly Problem[];
}

/**
 * Tries a request's changes on a scratch copy of the current state, one after another, and says
 * what each would do and what the policies say about it now. Pure; nothing is decided.
 */
export function previewApplication(request: ExistingChangeRequest, state: FlagpoleState): ChangeOutcome[] {
  const scratch = state.fork();
  const meta: CommandMetadata = { actor: request.author, now: request.openedAt, correlationId: request.id, changeRequestId: request.id };
  return request.changes.map((change, index) => {
    const aggregateType = aggregateTypeOfId(change.aggregateId);
    const before = scratch.stateOf(aggregateType, change.aggregateId);
    const command = { type: change.type, data: change.data, meta } as GovernedCommand;
    const outcome = { index, type: change.type, aggregateType, aggregateId: change.aggregateId, baseVersion: change.baseVersion, currentVersion: state.stateOf(aggregateType, change.aggregateId).version, before };
    try {
      const risk = riskOf(command, scratch);
      const decision = route(command, scratch);
      applyTo(scratch, decision, meta);
      return { ...outcome, after: scratch.stateOf(aggregateType, change.aggregateId), risk, problems: [] };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { ...outcome, after: before, risk: [], problems: error.problems.length > 0 ? error.problems : [{ field: `changes[${index}]`, problem: error.message }] };
    }
  });
}

/** Every reason the policies of the environments `command` reaches give for holding it back. */
export function riskOf(command: GovernedCommand, state: FlagpoleState): RiskReason[] {
  const environments = environmentsReachedBy(command, activeEnvironments(state));
  const target = governedAggregate(command);
  const current = state.stateOf(target.type, target.id) as RiskSubject;
  return environments.flatMap((environment) => {
    const policy = policyOf(state.approvalPolicy(aggregateIds.approvalPolicy(environment)));
    return policy ? assessRisk({ environment, policy }, command, current) : [];
  });
}

function route(command: FlagpoleCommand, state: FlagpoleState): Decision {
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
    case 'SetApprovalPolicy': {
      const id = aggregateIds.approvalPolicy(command.data.environment);
      const current = state.approvalPolicy(id);
      return { aggregateType: 'approvalPolicy', aggregateId: id, baseVersion: current.version, events: decideApprovalPolicy(command, current, ctx) };
    }
    case 'OpenChangeRequest':
    case 'ReviewChangeRequest':
    case 'ApplyChangeRequest':
    case 'CancelChangeRequest':
    case 'ExpireChangeRequest': {
      const id = aggregateIds.changeRequest(command.data.id);
      const current = state.changeRequest(id);
      return { aggregateType: 'changeRequest', aggregateId: id, baseVersion: current.version, events: decideChangeRequest(command, current, changeRequestContextOf(state, command)) };
    }
    default:
      return assertNever(command, 'command');
  }
}

function changeRequestContextOf(state: FlagpoleState, command: ChangeRequestCommand): ChangeRequestContext {
  return {
    policiesOf: (environments) => environments.flatMap((env) => policyOf(state.approvalPolicy(aggregateIds.approvalPolicy(env))) ?? []),
    versionOf: (aggregateId) => state.stateOf(aggregateTypeOfId(aggregateId), aggregateId).version,
    preview: (changes) => previewChanges(changes, state, command.meta),
  };
}

/**
 * Opening a request tries its changes, in order, on a scratch copy of the state: a change that
 * would be refused (or would change nothing) is refused now rather than after the approvals.
 */
function previewChanges(inputs: readonly ProposedChangeInput[], state: FlagpoleState, openMeta: CommandMetadata): ChangePreview {
  const scratch = state.fork();
  const meta: CommandMetadata = { actor: openMeta.actor, now: openMeta.now, correlationId: openMeta.correlationId };
  const changes: ProposedChange[] = [];
  const risk: RiskReason[] = [];
  const environments = new Set<string>();
  inputs.forEach((input, i) => {
    const field = `changes[${i}]`;
    if (typeof input !== 'object' || input === null) throw DomainError.validation([{ field, problem: 'must be an object' }]);
    if (!isGovernedType(input.type)) throw DomainError.validation([{ field: `${field}.type`, problem: `must be one of ${GOVERNED_COMMAND_TYPES.join(', ')}` }]);
    if (typeof input.data !== 'object' || input.data === null || Array.isArray(input.data)) throw DomainError.validation([{ field: `${field}.data`, problem: 'must be an object' }]);
    if (input.baseVersion !== undefined && !(Number.isInteger(input.baseVersion) && (input.baseVersion as number) >= 0)) {
      throw DomainError.validation([{ field: `${field}.baseVersion`, problem: 'must be a non-negative integer' }]);
    }
    const command = { type: input.type, data: input.data, meta } as GovernedCommand;
    const decision = withFieldPrefix(field, () => route(command, scratch));
    if (decision.events.length === 0) throw DomainError.validation([{ field, problem: 'changes nothing: the proposed state is already the current one' }]);
    const earlier = changes.find((c) => c.aggregateId === decision.aggregateId);
    const current = state.stateOf(decision.aggregateType, decision.aggregateId).version;
    const baseVersion = earlier ? earlier.baseVersion : ((input.baseVersion as number | undefined) ?? current);
    if (!earlier && baseVersion !== current) {
      throw new DomainError('version_conflict', `${field} is based on version ${baseVersion} of ${decision.aggregateId}, which is at ${current}`, [{ field: `${field}.baseVersion`, problem: `the current version is ${current}` }], current);
    }
    risk.push(...riskOf(command, scratch));
    for (const env of environmentsReachedBy(command, activeEnvironments(state))) environments.add(env);
    changes.push({ type: command.type, data: command.data, aggregateId: decision.aggregateId, baseVersion });
    applyTo(scratch, decision, meta);
  });
  return { changes, environments: [...environments].sort(), risk };
}

/** Folds a decision into a scratch state (ids and hashes are throwaway: the writer stamps for real). */
function applyTo(scratch: FlagpoleState, decision: Decision, meta: CommandMetadata): void {
  let n = 0;
  for (const event of stampEvents(decision, meta, scratch, () => `scratch-${++n}`)) scratch.apply(event);
}

function withFieldPrefix<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const problems = error.problems.length > 0 ? error.problems.map((p) => ({ ...p, field: `${prefix}.${p.field}` })) : [{ field: prefix, problem: error.message }];
    throw new DomainError(error.code, `${prefix}: ${error.message}`, problems, error.currentVersion);
  }
}

function activeEnvironments(state: FlagpoleState): readonly string[] {
  return [...state.environments()].flatMap((e) => (e.status === 'active' ? [e.key] : [])).sort();
}
