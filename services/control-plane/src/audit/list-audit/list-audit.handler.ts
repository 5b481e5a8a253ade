import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { auditQuery, withApprovals, type AuditPageWithApprovals } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { ListAuditQuery } from './list-audit.query';

@QueryHandler(ListAuditQuery)
export class ListAuditHandler implements IQueryHandler<ListAuditQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  async execute(query: ListAuditQuery): Promise<AuditPageWithApprovals> {
    const page = await auditQuery(this.readModel.manager, query.filter, query.page);
    return withApprovals(this.readModel.manager, page);
  }
}
