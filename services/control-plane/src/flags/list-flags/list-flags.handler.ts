import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { listFlags, type FlagPage } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { ListFlagsQuery } from './list-flags.query';

@QueryHandler(ListFlagsQuery)
export class ListFlagsHandler implements IQueryHandler<ListFlagsQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  execute(query: ListFlagsQuery): Promise<FlagPage> {
    return listFlags(this.readModel.manager, query.filter, query.page);
  }
}
