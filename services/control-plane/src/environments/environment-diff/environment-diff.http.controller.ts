import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { requirePoint } from '@flagpole/read-model';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { DiffRequestDto } from '../../flags/flag-diff/flag-diff.request.dto';
import { EnvironmentDiffQuery, type EnvironmentDiffResult } from './environment-diff.query';

@ApiTags('time travel')
@ApiBearerAuth()
@Controller('api/environments')
@UseInterceptors(ReadYourWritesInterceptor)
export class EnvironmentDiffHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** What changed in a whole environment (flags, segments, settings) between two points. */
  @Get(':env/diff')
  @RequireRole('viewer')
  @ScopedTo({ param: 'env' })
  diff(@Param('env') environment: string, @Query() dto: DiffRequestDto): Promise<EnvironmentDiffResult> {
    const to = dto.to === undefined || dto.to === '' ? undefined : requirePoint(dto.to, 'to');
    return this.queryBus.execute(new EnvironmentDiffQuery(environment, requirePoint(dto.from, 'from'), to));
  }
}
