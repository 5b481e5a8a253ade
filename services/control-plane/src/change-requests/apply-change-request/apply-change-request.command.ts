import { DomainCommand } from '../../http/domain-command';

export class ApplyChangeRequestCommand extends DomainCommand<'ApplyChangeRequest'> {
  readonly type = 'ApplyChangeRequest' as const;
}
