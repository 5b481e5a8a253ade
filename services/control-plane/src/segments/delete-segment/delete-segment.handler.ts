import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { DeleteSegmentCommand } from './delete-segment.command';

@CommandHandler(DeleteSegmentCommand)
export class DeleteSegmentHandler extends DomainCommandHandler<DeleteSegmentCommand> {}
