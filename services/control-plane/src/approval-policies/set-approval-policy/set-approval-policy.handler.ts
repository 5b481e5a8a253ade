import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { SetApprovalPolicyCommand } from './set-approval-policy.command';

@CommandHandler(SetApprovalPolicyCommand)
export class SetApprovalPolicyHandler extends DomainCommandHandler<SetApprovalPolicyCommand> {}
