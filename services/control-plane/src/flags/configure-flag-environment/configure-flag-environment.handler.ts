import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { ConfigureFlagEnvironmentCommand } from './configure-flag-environment.command';

@CommandHandler(ConfigureFlagEnvironmentCommand)
export class ConfigureFlagEnvironmentHandler extends DomainCommandHandler<ConfigureFlagEnvironmentCommand> {}
