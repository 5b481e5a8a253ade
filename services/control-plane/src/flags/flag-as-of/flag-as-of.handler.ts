import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@flagpole/domain';
import { flagAsOf, flagInScope, type FlagAsOf } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { FlagAsOfQuery } from './flag-as-of.query';

@QueryHandler(FlagAsOfQuery)
export class FlagAsOfHandler implements IQueryHandler<FlagAsOfQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  async execute(query: FlagAsOfQuery): Promise<FlagAsOf> {
    const found = await flagAsOf(this.readModel.manager, query.key, query.point);
    if (!found) throw DomainError.notFound(`flag "${query.key}"`);
    if (!found.flag) return found;
    const scoped = flagInScope(found.flag, query.scope);
    return { ...found, flag: scoped.status === 'absent' ? null : scoped };
  }
}
