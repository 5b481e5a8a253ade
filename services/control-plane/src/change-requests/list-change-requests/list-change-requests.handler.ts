import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { listChangeRequests, type ChangeRequestPage } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { ListChangeRequestsQuery } from './list-change-requests.query';

@QueryHandler(ListChangeRequestsQuery)
export class ListChangeRequestsHandler implements IQueryHandler<ListChangeRequestsQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  execute(query: ListChangeRequestsQuery): Promise<ChangeRequestPage> {
    return listChangeRequests(this.readModel.manager, query.filter, query.page);
  }
}
