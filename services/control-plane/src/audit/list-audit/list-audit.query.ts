import { Query } from '@nestjs/cqrs';
import type { AuditFilter, AuditPageWithApprovals, AuditPageRequest } from '@flagpole/read-model';

export class ListAuditQuery extends Query<AuditPageWithApprovals> {
  constructor(
    readonly filter: AuditFilter,
    readonly page: AuditPageRequest,
  ) {
    super();
  }
}
