import { DomainCommand } from '../../http/domain-command';

export class CreateEnvironmentCommand extends DomainCommand<'CreateEnvironment'> {
  readonly type = 'CreateEnvironment' as const;
}
