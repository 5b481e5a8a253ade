import { Query } from '@nestjs/cqrs';
import type { EnvironmentScope } from '@flagpole/domain';
import type { AuditPageWithApprovals, SortOrder } from '@flagpole/read-model';

export class FlagHistoryQuery extends Query<AuditPageWithApprovals> {
  constructor(
    readonly key: string,
    readonly page: { readonly cursor?: string; readonly limit?: number; readonly order?: SortOrder },
    readonly scope: EnvironmentScope,
  ) {
    super();
  }
}
