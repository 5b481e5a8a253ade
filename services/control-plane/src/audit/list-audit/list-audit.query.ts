import { Query } from '@nestjs/cqrs';
import type { AuditFilter, AuditPage, AuditPageRequest } from '@flagpole/read-model';

export class ListAuditQuery extends Query<AuditPage> {
  constructor(
    readonly filter: AuditFilter,
    readonly page: AuditPageRequest,
  ) {
    super();
  }
}
