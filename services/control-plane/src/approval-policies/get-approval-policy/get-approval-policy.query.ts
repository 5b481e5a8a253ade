import { Query } from '@nestjs/cqrs';
import type { ApprovalPolicyAnswer } from './get-approval-policy.handler';

export class GetApprovalPolicyQuery extends Query<ApprovalPolicyAnswer> {
  constructor(readonly environment: string) {
    super();
  }
}
