import { Controller, Get, Param, Query, Req, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { pointFromParameters, type FlagAsOf } from '@flagpole/read-model';
import { RequireRole } from '../../auth/auth.decorators';
import { principalOf, requireEnvironmentScope } from '../../auth/read-scope';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { FlagAsOfQuery } from './flag-as-of.query';
import { FlagAsOfRequestDto } from './flag-as-of.request.dto';

@ApiTags('time travel')
@ApiBearerAuth()
@Controller('api/flags')
@UseInterceptors(ReadYourWritesInterceptor)
export class FlagAsOfHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** A flag as it stood at a time or after a sequence, replayed from its own events in the audit trail. */
  @Get(':key/as-of')
  @RequireRole('viewer')
  asOf(@Param('key') key: string, @Query() dto: FlagAsOfRequestDto, @Req() request: AuthenticatedRequest): Promise<FlagAsOf> {
    const principal = principalOf(request);
    requireEnvironmentScope(principal, dto.environment);
    const scope = dto.environment === undefined ? principal.environments : [dto.environment];
    return this.queryBus.execute(new FlagAsOfQuery(key, pointFromParameters(dto), scope));
  }
}
