import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@flagpole/domain';
import { flagHistory, withApprovals, type AuditPageWithApprovals } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { FlagHistoryQuery } from './flag-history.query';

@QueryHandler(FlagHistoryQuery)
export class FlagHistoryHandler implements IQueryHandler<FlagHistoryQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  async execute(query: FlagHistoryQuery): Promise<AuditPageWithApprovals> {
    const { cursor, limit, order } = query.page;
    const page = await flagHistory(this.readModel.manager, query.key, cursor, limit, { order, scope: query.scope });
    if (!page) throw DomainError.notFound(`flag "${query.key}"`);
    return withApprovals(this.readModel.manager, page);
  }
}
