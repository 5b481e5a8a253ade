import { randomUUID } from 'node:crypto';
import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { authorityOf } from '../authority';
import { OpenChangeRequestCommand } from './open-change-request.command';
import { OpenChangeRequestRequestDto } from './open-change-request.request.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api/change-requests')
export class OpenChangeRequestHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Proposes changes for review; the token must be scoped to every environment they reach. */
  @Post()
  @RequireRole('editor')
  async open(
    @Body() body: OpenChangeRequestRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse & { changeRequestId: string }> {
    const { title, description, changes, applyAt, expiresAt } = body;
    // Ids come in with the command; the request is addressed by it in every later route.
    const id = randomUUID();
    const data = { id, title, description, changes, applyAt, expiresAt, author: authorityOf(request) };
    const result = await this.commandBus.execute(new OpenChangeRequestCommand(data, commandMetadataFrom(request, body)));
    return { ...mutationResponse(response, result), changeRequestId: id };
  }
}
