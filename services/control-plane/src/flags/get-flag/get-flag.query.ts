import { Query } from '@nestjs/cqrs';
import type { EnvironmentScope } from '@flagpole/domain';
import type { FlagWithEnvironments } from '@flagpole/read-model';

export class GetFlagQuery extends Query<FlagWithEnvironments> {
  constructor(
    readonly key: string,
    readonly scope: EnvironmentScope,
  ) {
    super();
  }
}
