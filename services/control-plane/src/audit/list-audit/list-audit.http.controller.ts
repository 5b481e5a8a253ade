import { Controller, Get, Query, Req, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuditPageWithApprovals } from '@flagpole/read-model';
import { RequireRole } from '../../auth/auth.decorators';
import { principalOf } from '../../auth/read-scope';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { optionalLimit } from '../../http/query-params';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { ListAuditQuery } from './list-audit.query';
import { auditFilterOf, ListAuditRequestDto } from './list-audit.request.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
@UseInterceptors(ReadYourWritesInterceptor)
export class ListAuditHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** The audit trail — who changed what, when, why, under which change request — filtered and cursor-paged on sequence. */
  @Get()
  @RequireRole('viewer')
  list(@Query() dto: ListAuditRequestDto, @Req() request: AuthenticatedRequest): Promise<AuditPageWithApprovals> {
    const filter = auditFilterOf(dto, principalOf(request).environments);
    return this.queryBus.execute(new ListAuditQuery(filter, { cursor: dto.cursor, limit: optionalLimit(dto.limit), order: dto.order }));
  }
}
