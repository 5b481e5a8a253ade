import { DomainCommand } from '../../http/domain-command';

export class ReviewChangeRequestCommand extends DomainCommand<'ReviewChangeRequest'> {
  readonly type = 'ReviewChangeRequest' as const;
}
