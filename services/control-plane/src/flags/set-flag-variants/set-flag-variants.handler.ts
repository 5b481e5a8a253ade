import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { SetFlagVariantsCommand } from './set-flag-variants.command';

@CommandHandler(SetFlagVariantsCommand)
export class SetFlagVariantsHandler extends DomainCommandHandler<SetFlagVariantsCommand> {}
