import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { aggregateIds, DEFAULT_APPROVAL_POLICY, DomainError, policyRequiresApproval, type ApprovalPolicy } from '@flagpole/domain';
import { WriterRuntime } from '../../infrastructure/writer.runtime';
import { GetApprovalPolicyQuery } from './get-approval-policy.query';

export interface ApprovalPolicyAnswer {
  readonly environment: string;
  /** 0 while the environment never had a policy (nothing needs approval). */
  readonly version: number;
  readonly policy: ApprovalPolicy;
  readonly requiresApproval: boolean;
}

/** The policy the writer enforces right now, from the state every instance folds from the log. */
@QueryHandler(GetApprovalPolicyQuery)
export class GetApprovalPolicyHandler implements IQueryHandler<GetApprovalPolicyQuery> {
  constructor(private readonly runtime: WriterRuntime) {}

  execute({ environment }: GetApprovalPolicyQuery): Promise<ApprovalPolicyAnswer> {
    const state = this.runtime.state;
    if (state.environment(aggregateIds.environment(environment)).status !== 'active') throw DomainError.notFound(`environment "${environment}"`);
    const current = state.approvalPolicy(aggregateIds.approvalPolicy(environment));
    const policy = current.status === 'active' ? current.policy : DEFAULT_APPROVAL_POLICY;
    return Promise.resolve({ environment, version: current.version, policy, requiresApproval: policyRequiresApproval(policy) });
  }
}
