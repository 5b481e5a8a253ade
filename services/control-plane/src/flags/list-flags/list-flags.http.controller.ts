import { Controller, Get, Query, Req, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FlagKind } from '@flagpole/domain';
import type { FlagPage } from '@flagpole/read-model';
import { RequireRole } from '../../auth/auth.decorators';
import { principalOf, requireEnvironmentScope } from '../../auth/read-scope';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { optionalBoolean, optionalLimit } from '../../http/query-params';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { ListFlagsQuery } from './list-flags.query';
import { ListFlagsRequestDto } from './list-flags.request.dto';

@ApiTags('flags')
@ApiBearerAuth()
@Controller('api/flags')
@UseInterceptors(ReadYourWritesInterceptor)
export class ListFlagsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Lists and searches flags (read model), keyset-paged by key, each with its configuration per visible environment. */
  @Get()
  @RequireRole('viewer')
  list(@Query() dto: ListFlagsRequestDto, @Req() request: AuthenticatedRequest): Promise<FlagPage> {
    const principal = principalOf(request);
    requireEnvironmentScope(principal, dto.environment);
    const filter = {
      environment: dto.environment,
      tag: dto.tag,
      kind: dto.kind as FlagKind | undefined,
      owner: dto.owner,
      archived: optionalBoolean(dto.archived, 'archived'),
      q: dto.q,
      scope: principal.environments,
    };
    return this.queryBus.execute(new ListFlagsQuery(filter, { cursor: dto.cursor, limit: optionalLimit(dto.limit) }));
  }
}
