import { isDeepStrictEqual } from 'node:util';
import { assertNever } from '../shared/assert-never';
import type { DecisionContext } from '../shared/decider.types';
import { DomainError, throwIfProblems } from '../shared/domain-error';
import { checkExpectedVersion } from '../shared/expected-version';
import { checkEnvironmentKey } from '../shared/keys';
import type { ApprovalPolicyCommand } from './approval-policy.commands';
import type { ApprovalPolicyEvent } from './approval-policy.events';
import type { ApprovalPolicyState } from './approval-policy.state';
import { parseApprovalPolicy } from './approval-policy.types';

/**
 * Whether the change itself needs approval is not decided here but by the risk assessment in
 * decide.ts, like every other governed command: a policy that requires approval for anything
 * also guards its own replacement.
 */
export function decideApprovalPolicy(command: ApprovalPolicyCommand, state: ApprovalPolicyState, ctx: DecisionContext): readonly ApprovalPolicyEvent[] {
  switch (command.type) {
    case 'SetApprovalPolicy': {
      const { environment } = command.data;
      throwIfProblems(checkEnvironmentKey(environment, 'environment'));
      const { problems, policy } = parseApprovalPolicy(command.data.policy);
      throwIfProblems(problems);
      if (!ctx.environmentExists(environment)) throw DomainError.notFound(`environment "${environment}"`);
      checkExpectedVersion(command.meta, state.version);
      if (state.status === 'active' && isDeepStrictEqual(state.policy, policy)) return [];
      return [{ type: 'ApprovalPolicySet', data: { environment, policy: policy! } }];
    }
    default:
      return assertNever(command.type, 'approval policy command');
  }
}

export function evolveApprovalPolicy(state: ApprovalPolicyState, event: ApprovalPolicyEvent): ApprovalPolicyState {
  switch (event.type) {
    case 'ApprovalPolicySet':
      return { status: 'active', version: state.version + 1, environment: event.data.environment, policy: event.data.policy };
    default:
      return assertNever(event.type, 'approval policy event');
  }
}
