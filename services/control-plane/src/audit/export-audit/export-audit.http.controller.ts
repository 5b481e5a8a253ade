import { once } from 'node:events';
import { Controller, Get, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { EXPORT_CONTENT_TYPES } from '@flagpole/read-model';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { RequireRole } from '../../auth/auth.decorators';
import { principalOf, requireFullScope } from '../../auth/read-scope';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { requestLog } from '../../http/request-logging';
import { auditFilterOf } from '../list-audit/list-audit.request.dto';
import { ExportAuditQuery, type AuditExport } from './export-audit.query';
import { ExportAuditRequestDto } from './export-audit.request.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
@UseInterceptors(ReadYourWritesInterceptor)
export class ExportAuditHttpController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly logger: PinoLogger,
  ) {}

  /**
   * The audit trail as JSON Lines (each line the event exactly as hashed, verifiable offline:
   * docs/compliance.md) or CSV, streamed page by page. Evidence spans every environment, so it
   * needs a token scoped to `*`.
   */
  @Get('export')
  @RequireRole('viewer')
  @ApiProduces(EXPORT_CONTENT_TYPES.jsonl, EXPORT_CONTENT_TYPES.csv)
  async export(@Query() dto: ExportAuditRequestDto, @Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    const principal = principalOf(request);
    requireFullScope(principal, 'exporting the audit trail');
    const format = dto.format ?? 'jsonl';
    const result: AuditExport = await this.queryBus.execute(new ExportAuditQuery(format, auditFilterOf(dto, principal.environments)));
    response.status(200);
    response.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
    response.setHeader('Content-Disposition', `attachment; filename="flagpole-audit-${result.upTo}.${format}"`);
    response.setHeader('X-Audit-Up-To-Sequence', String(result.upTo));
    try {
      for await (const chunk of result.chunks) {
        if (response.destroyed) return; // the client went away: stop reading pages
        if (!response.write(chunk)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
      }
      response.end();
    } catch (error) {
      // Headers are gone; cutting the connection is the only honest signal of a partial export.
      requestLog(request, this.logger).error({ err: error }, 'audit export failed midway');
      response.destroy(error as Error);
    }
  }
}
