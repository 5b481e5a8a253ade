import type { ApprovalPolicy } from './approval-policy.types';

export type ApprovalPolicyState =
  | { readonly status: 'absent'; readonly version: 0 }
  | { readonly status: 'active'; readonly version: number; readonly environment: string; readonly policy: ApprovalPolicy };

export const initialApprovalPolicyState: ApprovalPolicyState = { status: 'absent', version: 0 };

/** The policy in force: an environment nobody gave a policy needs no approvals. */
export function policyOf(state: ApprovalPolicyState): ApprovalPolicy | undefined {
  return state.status === 'active' ? state.policy : undefined;
}
