import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { ReviewChangeRequestCommand } from './review-change-request.command';

@CommandHandler(ReviewChangeRequestCommand)
export class ReviewChangeRequestHandler extends DomainCommandHandler<ReviewChangeRequestCommand> {}
