import { Query } from '@nestjs/cqrs';
import type { FlagFilter, FlagPage } from '@flagpole/read-model';

export class ListFlagsQuery extends Query<FlagPage> {
  constructor(
    readonly filter: FlagFilter,
    readonly page: { readonly cursor?: string; readonly limit?: number },
  ) {
    super();
  }
}
