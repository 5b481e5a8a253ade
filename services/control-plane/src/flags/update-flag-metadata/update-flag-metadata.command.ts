import { DomainCommand } from '../../http/domain-command';

export class UpdateFlagMetadataCommand extends DomainCommand<'UpdateFlagMetadata'> {
  readonly type = 'UpdateFlagMetadata' as const;
}
