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
import { ApplyChangeRequestCommand } from './apply-change-request.command';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api/change-requests')
export class ApplyChangeRequestHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Applies an approved request: its changes and the applied event in one Kafka transaction. */
  @Post(':id/apply')
  @HttpCode(200)
  @RequireRole('editor')
  async apply(
    @Param('id') id: string,
    @Body() body: MutationRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const command = new ApplyChangeRequestCommand({ id, applier: authorityOf(request) }, commandMetadataFrom(request, body));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
