import { Query } from '@nestjs/cqrs';
import type { EnvironmentScope } from '@flagpole/domain';
import type { FlagAsOf, PointInput } from '@flagpole/read-model';

export class FlagAsOfQuery extends Query<FlagAsOf> {
  constructor(
    readonly key: string,
    readonly point: PointInput,
    readonly scope: EnvironmentScope,
  ) {
    super();
  }
}
