import { Query } from '@nestjs/cqrs';
import type { EnvironmentScope } from '@flagpole/domain';
import type { ChangeRequestDetail } from './get-change-request.handler';

export class GetChangeRequestQuery extends Query<ChangeRequestDetail> {
  constructor(
    readonly id: string,
    readonly scope: EnvironmentScope,
  ) {
    super();
  }
}
