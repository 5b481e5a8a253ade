import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@flagpole/domain';
import { getFlag, type FlagWithEnvironments } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { GetFlagQuery } from './get-flag.query';

@QueryHandler(GetFlagQuery)
export class GetFlagHandler implements IQueryHandler<GetFlagQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  async execute(query: GetFlagQuery): Promise<FlagWithEnvironments> {
    const flag = await getFlag(this.readModel.manager, query.key, query.scope);
    if (!flag) throw DomainError.notFound(`flag "${query.key}"`);
    return flag;
  }
}
