import { DomainCommand } from '../../http/domain-command';

export class SetFlagVariantsCommand extends DomainCommand<'SetFlagVariants'> {
  readonly type = 'SetFlagVariants' as const;
}
