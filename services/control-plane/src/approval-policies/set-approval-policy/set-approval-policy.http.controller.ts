import { Body, Controller, Param, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { SetApprovalPolicyCommand } from './set-approval-policy.command';
import { SetApprovalPolicyRequestDto } from './set-approval-policy.request.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api/environments')
export class SetApprovalPolicyHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Replaces the environment's approval policy; a policy requiring approvals guards its own change (409 approval_required). */
  @Put(':env/approval-policy')
  @RequireRole('admin')
  @ScopedTo({ param: 'env' })
  async set(
    @Param('env') environment: string,
    @Body() body: SetApprovalPolicyRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const { reason: _r, expectedVersion: _v, ...fields } = body;
    const policy = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    const command = new SetApprovalPolicyCommand({ environment, policy }, commandMetadataFrom(request, body));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
