import { DomainCommand } from '../../http/domain-command';

export class ConfigureFlagEnvironmentCommand extends DomainCommand<'ConfigureFlagEnvironment'> {
  readonly type = 'ConfigureFlagEnvironment' as const;
}
