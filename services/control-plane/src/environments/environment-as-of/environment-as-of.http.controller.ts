import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { pointFromParameters, type EnvironmentAsOf } from '@flagpole/read-model';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { AsOfRequestDto } from '../../flags/flag-as-of/flag-as-of.request.dto';
import { EnvironmentAsOfQuery } from './environment-as-of.query';

@ApiTags('time travel')
@ApiBearerAuth()
@Controller('api/environments')
@UseInterceptors(ReadYourWritesInterceptor)
export class EnvironmentAsOfHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** A whole environment at a time or sequence: every flag's configuration there and its segments. */
  @Get(':env/as-of')
  @RequireRole('viewer')
  @ScopedTo({ param: 'env' })
  asOf(@Param('env') environment: string, @Query() dto: AsOfRequestDto): Promise<EnvironmentAsOf> {
    return this.queryBus.execute(new EnvironmentAsOfQuery(environment, pointFromParameters(dto)));
  }
}
