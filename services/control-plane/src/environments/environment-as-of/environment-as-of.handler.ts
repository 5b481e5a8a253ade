import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@flagpole/domain';
import { environmentAsOf, type EnvironmentAsOf } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { EnvironmentAsOfQuery } from './environment-as-of.query';

@QueryHandler(EnvironmentAsOfQuery)
export class EnvironmentAsOfHandler implements IQueryHandler<EnvironmentAsOfQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  async execute(query: EnvironmentAsOfQuery): Promise<EnvironmentAsOf> {
    const snapshot = await environmentAsOf(this.readModel.manager, query.environment, query.point);
    if (!snapshot) throw DomainError.notFound(`environment "${query.environment}"`);
    return snapshot;
  }
}
