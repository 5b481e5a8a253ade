import { Query } from '@nestjs/cqrs';
import type { AuditFilter, ExportFormat } from '@flagpole/read-model';

/** The export as chunks of text, produced page by page as the response asks for them. */
export interface AuditExport {
  /** The last sequence the export covers (the projection head when it started). */
  readonly upTo: number;
  readonly chunks: AsyncIterable<string>;
}

export class ExportAuditQuery extends Query<AuditExport> {
  constructor(
    readonly format: ExportFormat,
    readonly filter: AuditFilter,
  ) {
    super();
  }
}
