import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { OpenChangeRequestCommand } from './open-change-request.command';

@CommandHandler(OpenChangeRequestCommand)
export class OpenChangeRequestHandler extends DomainCommandHandler<OpenChangeRequestCommand> {}
