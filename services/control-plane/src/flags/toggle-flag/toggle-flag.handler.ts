import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { ToggleFlagCommand } from './toggle-flag.command';

@CommandHandler(ToggleFlagCommand)
export class ToggleFlagHandler extends DomainCommandHandler<ToggleFlagCommand> {}
