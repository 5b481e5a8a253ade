import { DomainCommand } from '../../http/domain-command';

export class RevokeTokenCommand extends DomainCommand<'RevokeToken'> {
  readonly type = 'RevokeToken' as const;
}
