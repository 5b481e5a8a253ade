import { DomainCommand } from '../../http/domain-command';

export class RestoreFlagCommand extends DomainCommand<'RestoreFlag'> {
  readonly type = 'RestoreFlag' as const;
}
