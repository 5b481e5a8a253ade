import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { CreateSegmentCommand } from './create-segment.command';

@CommandHandler(CreateSegmentCommand)
export class CreateSegmentHandler extends DomainCommandHandler<CreateSegmentCommand> {}
