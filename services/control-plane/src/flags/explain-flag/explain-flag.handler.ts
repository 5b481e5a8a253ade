import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@flagpole/domain';
import { explainFlag, type Explanation } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { ExplainFlagQuery } from './explain-flag.query';

@QueryHandler(ExplainFlagQuery)
export class ExplainFlagHandler implements IQueryHandler<ExplainFlagQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  async execute(query: ExplainFlagQuery): Promise<Explanation> {
    const { key, environment, context, point, defaultValue } = query;
    const explanation = await explainFlag(this.readModel.manager, { key, environment, context, point, defaultValue });
    if (!explanation) throw DomainError.notFound(`flag "${key}"`);
    return explanation;
  }
}
