import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { IssueTokenCommand } from './issue-token.command';
import { IssueTokenRequestDto } from './issue-token.request.dto';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/tokens')
export class IssueTokenHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Issues an API token; the secret is in this response and nowhere else. */
  @Post()
  @RequireRole('admin')
  async issue(
    @Body() body: IssueTokenRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse & { tokenId: string; token: string }> {
    const { name, role, environments, expiresAt } = body;
    const issued = await this.commandBus.execute(new IssueTokenCommand({ name, role, environments, expiresAt }, commandMetadataFrom(request, body)));
    return { ...mutationResponse(response, issued.result), tokenId: issued.tokenId, token: issued.secret };
  }
}
