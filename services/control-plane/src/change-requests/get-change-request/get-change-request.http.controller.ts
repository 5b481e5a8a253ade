import { Controller, Get, Param, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../auth/auth.decorators';
import { principalOf } from '../../auth/read-scope';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import type { ChangeRequestDetail } from './get-change-request.handler';
import { GetChangeRequestQuery } from './get-change-request.query';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api/change-requests')
export class GetChangeRequestHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** One request with its reviews, the diff each change would apply now and the current risk reasons. */
  @Get(':id')
  @RequireRole('viewer')
  get(@Param('id') id: string, @Req() request: AuthenticatedRequest): Promise<ChangeRequestDetail> {
    return this.queryBus.execute(new GetChangeRequestQuery(id, principalOf(request).environments));
  }
}
