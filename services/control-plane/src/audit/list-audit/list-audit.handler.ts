import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { auditQuery, type AuditPage } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { ListAuditQuery } from './list-audit.query';

@QueryHandler(ListAuditQuery)
export class ListAuditHandler implements IQueryHandler<ListAuditQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  execute(query: ListAuditQuery): Promise<AuditPage> {
    return auditQuery(this.readModel.manager, query.filter, query.page);
  }
}
