import { CommandHandler } from '@nestjs/cqrs';
import { DomainCommandHandler } from '../../http/domain-command';
import { UpdateFlagMetadataCommand } from './update-flag-metadata.command';

@CommandHandler(UpdateFlagMetadataCommand)
export class UpdateFlagMetadataHandler extends DomainCommandHandler<UpdateFlagMetadataCommand> {}
