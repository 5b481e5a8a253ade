import { Controller, Get, Param, Query, Req, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuditPageWithApprovals } from '@flagpole/read-model';
import { RequireRole } from '../../auth/auth.decorators';
import { principalOf } from '../../auth/read-scope';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { optionalLimit } from '../../http/query-params';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { FlagHistoryQuery } from './flag-history.query';
import { FlagHistoryRequestDto } from './flag-history.request.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/flags')
@UseInterceptors(ReadYourWritesInterceptor)
export class FlagHistoryHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Every change of a flag: its audit rows (who, when, why, the diff, the event), cursor-paged. */
  @Get(':key/history')
  @RequireRole('viewer')
  history(@Param('key') key: string, @Query() dto: FlagHistoryRequestDto, @Req() request: AuthenticatedRequest): Promise<AuditPageWithApprovals> {
    const page = { cursor: dto.cursor, limit: optionalLimit(dto.limit), order: dto.order };
    return this.queryBus.execute(new FlagHistoryQuery(key, page, principalOf(request).environments));
  }
}
