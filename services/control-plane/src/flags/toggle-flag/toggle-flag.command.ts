import { DomainCommand } from '../../http/domain-command';

export class ToggleFlagCommand extends DomainCommand<'ToggleFlag'> {
  readonly type = 'ToggleFlag' as const;
}
