import { Controller, Get, Param, Query, Req, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { requirePoint } from '@flagpole/read-model';
import { RequireRole } from '../../auth/auth.decorators';
import { principalOf, requireEnvironmentScope } from '../../auth/read-scope';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { ReadYourWritesInterceptor } from '../../http/read-your-writes.interceptor';
import { FlagDiffQuery, type FlagDiffResult } from './flag-diff.query';
import { FlagDiffRequestDto } from './flag-diff.request.dto';

@ApiTags('time travel')
@ApiBearerAuth()
@Controller('api/flags')
@UseInterceptors(ReadYourWritesInterceptor)
export class FlagDiffHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** What changed in a flag between two points (sequences or times), in the audit trail's diff format. */
  @Get(':key/diff')
  @RequireRole('viewer')
  diff(@Param('key') key: string, @Query() dto: FlagDiffRequestDto, @Req() request: AuthenticatedRequest): Promise<FlagDiffResult> {
    const principal = principalOf(request);
    requireEnvironmentScope(principal, dto.environment);
    const to = dto.to === undefined || dto.to === '' ? undefined : requirePoint(dto.to, 'to');
    return this.queryBus.execute(new FlagDiffQuery(key, requirePoint(dto.from, 'from'), to, principal.environments, dto.environment));
  }
}
