import { Query } from '@nestjs/cqrs';
import type { EvaluationContext, JsonValue } from '@flagpole/evaluation';
import type { Explanation, PointInput } from '@flagpole/read-model';

export class ExplainFlagQuery extends Query<Explanation> {
  constructor(
    readonly key: string,
    readonly environment: string,
    readonly context: EvaluationContext,
    readonly point: PointInput | undefined,
    readonly defaultValue: JsonValue | undefined,
  ) {
    super();
  }
}
