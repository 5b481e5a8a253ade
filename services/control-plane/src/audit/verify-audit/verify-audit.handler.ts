import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { verifyEventLog, verifyStoredAuditTrail } from '@flagpole/read-model';
import { EventLogReader } from '../../infrastructure/event-log-reader';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { VerifyAuditQuery, type VerifyAuditResult } from './verify-audit.query';

@QueryHandler(VerifyAuditQuery)
export class VerifyAuditHandler implements IQueryHandler<VerifyAuditQuery> {
  constructor(
    private readonly readModel: ReadModelService,
    private readonly eventLog: EventLogReader,
  ) {}

  async execute(query: VerifyAuditQuery): Promise<VerifyAuditResult> {
    if (query.source === 'kafka') {
      const { records, undecodable } = await this.eventLog.readAll();
      const verdict = verifyEventLog(records);
      return { source: 'kafka', ok: verdict.ok && undecodable === 0, checked: verdict.checked, head: verdict.head, firstProblem: verdict.problem ?? null, duplicates: verdict.duplicates, undecodable };
    }
    const verdict = await verifyStoredAuditTrail(this.readModel.dataSource);
    return { source: 'postgres', ok: verdict.ok, checked: verdict.checked, head: verdict.head, firstProblem: verdict.problem ?? null };
  }
}
