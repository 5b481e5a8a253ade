import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { RestoreFlagCommand } from './restore-flag.command';

@CommandHandler(RestoreFlagCommand)
export class RestoreFlagHandler extends DomainCommandHandler<RestoreFlagCommand> {}
