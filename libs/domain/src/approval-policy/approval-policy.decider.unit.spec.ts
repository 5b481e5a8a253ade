import { command, deciderSpec } from '../testing/decider-spec';
import { decideApprovalPolicy, evolveApprovalPolicy } from './approval-policy.decider';
import type { ApprovalPolicySet } from './approval-policy.events';
import { initialApprovalPolicyState } from './approval-policy.state';
import { DEFAULT_APPROVAL_POLICY, NO_RISK_RULES } from './approval-policy.types';

const policies = deciderSpec({ decide: decideApprovalPolicy, evolve: evolveApprovalPolicy, initialState: initialApprovalPolicyState });
const strict = { ...DEFAULT_APPROVAL_POLICY, requiredApprovals: 2, declineBlocks: true, rules: { ...NO_RISK_RULES, toggles: true } };
const set = (policy: unknown, expectedVersion?: number) => command('SetApprovalPolicy', { environment: 'production', policy }, { expectedVersion });
const policySet = (policy = strict): ApprovalPolicySet => ({ type: 'ApprovalPolicySet', data: { environment: 'production', policy } });

describe('decideApprovalPolicy', () => {
  it('sets a policy, defaults filled in', () => {
    const state = policies.given([]).when(set({ requiredApprovals: 2, declineBlocks: true, rules: { toggles: true } })).then([policySet()]);
    expect(state).toEqual({ status: 'active', version: 1, environment: 'production', policy: strict });
  });

  it('replaces a policy as a whole and decides nothing when it is unchanged', () => {
    policies.given([policySet()]).when(set({})).then([policySet(DEFAULT_APPROVAL_POLICY)]);
    policies.given([policySet()]).when(set(strict)).then([]);
  });

  it('refuses an unknown environment, an invalid policy and a stale version', () => {
    policies.given([]).withContext({ environments: ['staging'] }).when(set({})).thenThrows({ code: 'not_found' });
    policies.given([]).when(set({ requiredApprovals: 0 })).thenThrows({ code: 'validation_failed', problems: [{ field: 'policy.requiredApprovals' }] });
    policies.given([policySet()]).when(set({}, 0)).thenThrows({ code: 'version_conflict', currentVersion: 1 });
    policies
      .given([])
      .when(command('SetApprovalPolicy', { environment: 'Prod', policy: {} }))
      .thenThrows({ code: 'validation_failed', problems: [{ field: 'environment' }] });
  });
});
