import { Query } from '@nestjs/cqrs';
import type { ComplianceReport } from '@flagpole/read-model';

export class ApprovalComplianceQuery extends Query<ComplianceReport> {
  constructor(
    readonly environment: string,
    readonly from: string,
    readonly to: string,
  ) {
    super();
  }
}
