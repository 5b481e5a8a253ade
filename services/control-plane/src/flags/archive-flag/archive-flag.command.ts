import { DomainCommand } from '../../http/domain-command';

export class ArchiveFlagCommand extends DomainCommand<'ArchiveFlag'> {
  readonly type = 'ArchiveFlag' as const;
}
