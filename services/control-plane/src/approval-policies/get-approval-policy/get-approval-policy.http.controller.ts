import { Controller, Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import type { ApprovalPolicyAnswer } from './get-approval-policy.handler';
import { GetApprovalPolicyQuery } from './get-approval-policy.query';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api/environments')
export class GetApprovalPolicyHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** The environment's approval policy in force (the defaults when it has none); ETag is its version, for If-Match on PUT. */
  @Get(':env/approval-policy')
  @RequireRole('viewer')
  @ScopedTo({ param: 'env' })
  async get(@Param('env') environment: string, @Res({ passthrough: true }) response: Response): Promise<ApprovalPolicyAnswer> {
    const answer: ApprovalPolicyAnswer = await this.queryBus.execute(new GetApprovalPolicyQuery(environment));
    response.setHeader('ETag', `"${answer.version}"`);
    return answer;
  }
}
