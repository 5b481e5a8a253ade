import { DomainCommand } from '../../http/domain-command';

export class CreateSegmentCommand extends DomainCommand<'CreateSegment'> {
  readonly type = 'CreateSegment' as const;
}
