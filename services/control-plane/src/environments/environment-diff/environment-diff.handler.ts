import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@flagpole/domain';
import { environmentDiff } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { EnvironmentDiffQuery, type EnvironmentDiffResult } from './environment-diff.query';

@QueryHandler(EnvironmentDiffQuery)
export class EnvironmentDiffHandler implements IQueryHandler<EnvironmentDiffQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  async execute(query: EnvironmentDiffQuery): Promise<EnvironmentDiffResult> {
    const diff = await environmentDiff(this.readModel.manager, query.environment, query.from, query.to);
    if (!diff) throw DomainError.notFound(`environment "${query.environment}"`);
    return diff;
  }
}
