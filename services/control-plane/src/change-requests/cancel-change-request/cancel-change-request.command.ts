import { DomainCommand } from '../../http/domain-command';

export class CancelChangeRequestCommand extends DomainCommand<'CancelChangeRequest'> {
  readonly type = 'CancelChangeRequest' as const;
}
