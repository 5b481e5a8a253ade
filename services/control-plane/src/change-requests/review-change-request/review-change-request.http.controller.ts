import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { authorityOf } from '../authority';
import { ReviewChangeRequestCommand } from './review-change-request.command';
import { ReviewChangeRequestRequestDto } from './review-change-request.request.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api/change-requests')
export class ReviewChangeRequestHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Approves or declines; approver and admin tokens scoped to every environment the request reaches. */
  @Post(':id/reviews')
  @HttpCode(200)
  @RequireRole('approver')
  async review(
    @Param('id') id: string,
    @Body() body: ReviewChangeRequestRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const data = { id, decision: body.decision, comment: body.comment, reviewer: authorityOf(request) };
    return mutationResponse(response, await this.commandBus.execute(new ReviewChangeRequestCommand(data, commandMetadataFrom(request, body))));
  }
}
