import { DomainCommand } from '../../http/domain-command';

export class UpdateSegmentCommand extends DomainCommand<'UpdateSegment'> {
  readonly type = 'UpdateSegment' as const;
}
