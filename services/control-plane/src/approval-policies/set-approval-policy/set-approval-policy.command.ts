import { DomainCommand } from '../../http/domain-command';

export class SetApprovalPolicyCommand extends DomainCommand<'SetApprovalPolicy'> {
  readonly type = 'SetApprovalPolicy' as const;
}
