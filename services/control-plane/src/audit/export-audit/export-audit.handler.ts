import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { auditPages, csvHeader, csvRow, jsonLine, readProjectionHead, type AuditFilter, type ExportFormat } from '@flagpole/read-model';
import type { EntityManager } from 'typeorm';
import { ReadModelService } from '../../infrastructure/read-model/read-model.service';
import { ExportAuditQuery, type AuditExport } from './export-audit.query';

@QueryHandler(ExportAuditQuery)
export class ExportAuditHandler implements IQueryHandler<ExportAuditQuery> {
  constructor(private readonly readModel: ReadModelService) {}

  /** Pins the head first: the trail is append-only, so rows up to it are a consistent snapshot without a long transaction. */
  async execute(query: ExportAuditQuery): Promise<AuditExport> {
    const manager = this.readModel.manager;
    const upTo = (await readProjectionHead(manager)).lastSequence;
    return { upTo, chunks: exportChunks(manager, query.format, query.filter, upTo) };
  }
}

/** One chunk per keyset page (1000 rows), so memory holds one page whatever the trail's size. */
async function* exportChunks(manager: EntityManager, format: ExportFormat, filter: AuditFilter, upTo: number): AsyncGenerator<string> {
  if (format === 'csv') yield csvHeader();
  for await (const page of auditPages(manager, filter, { upTo })) {
    yield page.map(format === 'csv' ? csvRow : jsonLine).join('');
  }
}
