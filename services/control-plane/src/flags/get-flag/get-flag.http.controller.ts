import { Controller, Get, Param, Query, Req, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FlagWithEnvironments } from '@flagpole/read-model';
import { RequireRole } from '../../auth/auth.decorators';
import { principalOf } from '../../auth/read-scope';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { QueryRequestDto } from '../../http/query-request.dto';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { GetFlagQuery } from './get-flag.query';

@ApiTags('flags')
@ApiBearerAuth()
@Controller('api/flags')
@UseInterceptors(ReadYourWritesInterceptor)
export class GetFlagHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** One flag with its configuration in every environment the token may see (the default where nobody configured it). */
  @Get(':key')
  @RequireRole('viewer')
  get(@Param('key') key: string, @Query() _dto: QueryRequestDto, @Req() request: AuthenticatedRequest): Promise<FlagWithEnvironments> {
    return this.queryBus.execute(new GetFlagQuery(key, principalOf(request).environments));
  }
}
