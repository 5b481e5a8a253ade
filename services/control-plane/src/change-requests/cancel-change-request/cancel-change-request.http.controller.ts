import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { MutationRequestDto } from '../../http/mutation-request.dto';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { authorityOf } from '../authority';
import { CancelChangeRequestCommand } from './cancel-change-request.command';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api/change-requests')
export class CancelChangeRequestHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Withdraws a pending request: its author, or an admin. */
  @Post(':id/cancel')
  @HttpCode(200)
  @RequireRole('editor')
  async cancel(
    @Param('id') id: string,
    @Body() body: MutationRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const command = new CancelChangeRequestCommand({ id, canceller: authorityOf(request) }, commandMetadataFrom(request, body));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
