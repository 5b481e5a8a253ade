import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { CreateEnvironmentCommand } from './create-environment.command';

@CommandHandler(CreateEnvironmentCommand)
export class CreateEnvironmentHandler extends DomainCommandHandler<CreateEnvironmentCommand> {}
