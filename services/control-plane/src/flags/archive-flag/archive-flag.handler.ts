import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { ArchiveFlagCommand } from './archive-flag.command';

@CommandHandler(ArchiveFlagCommand)
export class ArchiveFlagHandler extends DomainCommandHandler<ArchiveFlagCommand> {}
