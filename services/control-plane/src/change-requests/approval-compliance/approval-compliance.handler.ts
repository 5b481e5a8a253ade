import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { approvalCompliance, type ComplianceReport } from '@flagpole/read-model';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { ApprovalComplianceQuery } from './approval-compliance.query';

@QueryHandler(ApprovalComplianceQuery)
export class ApprovalComplianceHandler implements IQueryHandler<ApprovalComplianceQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  execute({ environment, from, to }: ApprovalComplianceQuery): Promise<ComplianceReport> {
    // One snapshot, so a change and its request's events are read together.
    return this.readModel.dataSource.transaction('REPEATABLE READ', (manager) => approvalCompliance(manager, environment, from, to));
  }
}
