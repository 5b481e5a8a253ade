import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@flagpole/domain';
import { flagDiff } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { FlagDiffQuery, type FlagDiffResult } from './flag-diff.query';

@QueryHandler(FlagDiffQuery)
export class FlagDiffHandler implements IQueryHandler<FlagDiffQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  async execute(query: FlagDiffQuery): Promise<FlagDiffResult> {
    const diff = await flagDiff(this.readModel.manager, query.key, query.from, query.to, { scope: query.scope, environment: query.environment });
    if (!diff) throw DomainError.notFound(`flag "${query.key}"`);
    return diff;
  }
}
