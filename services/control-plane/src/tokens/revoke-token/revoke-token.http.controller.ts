import { Controller, Delete, Param, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { RevokeTokenCommand } from './revoke-token.command';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/tokens')
export class RevokeTokenHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Revokes a token at once; revoking twice is harmless. */
  @Delete(':id')
  @RequireRole('admin')
  async revoke(
    @Param('id') tokenId: string,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const command = new RevokeTokenCommand({ tokenId }, commandMetadataFrom(request));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
