import { DomainCommand } from '../../http/domain-command';

export class DeleteSegmentCommand extends DomainCommand<'DeleteSegment'> {
  readonly type = 'DeleteSegment' as const;
}
