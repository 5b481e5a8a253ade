import { Query } from '@nestjs/cqrs';
import type { EnvironmentAsOf, PointInput } from '@flagpole/read-model';

export class EnvironmentAsOfQuery extends Query<EnvironmentAsOf> {
  constructor(
    readonly environment: string,
    readonly point: PointInput,
  ) {
    super();
  }
}
