import { Controller, Get, Query, Req, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ChangeRequestStatus } from '@flagpole/domain';
import type { ChangeRequestPage } from '@flagpole/read-model';
import { RequireRole } from '../../auth/auth.decorators';
import { principalOf, requireEnvironmentScope } from '../../auth/read-scope';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { optionalLimit } from '../../http/query-params';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { ListChangeRequestsQuery } from './list-change-requests.query';
import { ListChangeRequestsRequestDto } from './list-change-requests.request.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api/change-requests')
@UseInterceptors(ReadYourWritesInterceptor)
export class ListChangeRequestsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Change requests, newest first, from the read model; accepts a consistency token. */
  @Get()
  @RequireRole('viewer')
  list(@Query() dto: ListChangeRequestsRequestDto, @Req() request: AuthenticatedRequest): Promise<ChangeRequestPage> {
    const principal = principalOf(request);
    requireEnvironmentScope(principal, dto.environment);
    const filter = {
      status: dto.status as ChangeRequestStatus | undefined,
      environment: dto.environment,
      flag: dto.flag,
      author: dto.author,
      reviewer: dto.reviewer,
      scope: principal.environments,
    };
    return this.queryBus.execute(new ListChangeRequestsQuery(filter, { cursor: dto.cursor, limit: optionalLimit(dto.limit) }));
  }
}
