import { DomainCommand } from '../../http/domain-command';

export class CreateFlagCommand extends DomainCommand<'CreateFlag'> {
  readonly type = 'CreateFlag' as const;
}
