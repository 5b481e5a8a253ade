import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../auth/auth.decorators';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { VerifyAuditQuery, type VerifyAuditResult } from './verify-audit.query';
import { VerifyAuditRequestDto } from './verify-audit.request.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
@UseInterceptors(ReadYourWritesInterceptor)
export class VerifyAuditHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /**
   * Recomputes the sequence and hash chain — of the audit trail in Postgres (each row's columns
   * against its event, up to the projection head), or of the events topic in Kafka — and names
   * the first edited, missing or reordered event. Always 200: the verdict is in the body.
   */
  @Get('verify')
  @RequireRole('viewer')
  verify(@Query() dto: VerifyAuditRequestDto): Promise<VerifyAuditResult> {
    return this.queryBus.execute(new VerifyAuditQuery(dto.source ?? 'postgres'));
  }
}
