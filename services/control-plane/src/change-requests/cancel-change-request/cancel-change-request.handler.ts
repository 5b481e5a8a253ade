import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { CancelChangeRequestCommand } from './cancel-change-request.command';

@CommandHandler(CancelChangeRequestCommand)
export class CancelChangeRequestHandler extends DomainCommandHandler<CancelChangeRequestCommand> {}
