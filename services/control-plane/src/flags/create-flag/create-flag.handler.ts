import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { CreateFlagCommand } from './create-flag.command';

@CommandHandler(CreateFlagCommand)
export class CreateFlagHandler extends DomainCommandHandler<CreateFlagCommand> {}
