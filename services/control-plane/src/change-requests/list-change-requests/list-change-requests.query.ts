import { Query } from '@nestjs/cqrs';
import type { ChangeRequestFilter, ChangeRequestPage } from '@flagpole/read-model';

export class ListChangeRequestsQuery extends Query<ChangeRequestPage> {
  constructor(
    readonly filter: ChangeRequestFilter,
    readonly page: { readonly cursor?: string; readonly limit?: number },
  ) {
    super();
  }
}
