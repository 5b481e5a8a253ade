import { DomainCommand } from '../../http/domain-command';

export class OpenChangeRequestCommand extends DomainCommand<'OpenChangeRequest'> {
  readonly type = 'OpenChangeRequest' as const;
}
