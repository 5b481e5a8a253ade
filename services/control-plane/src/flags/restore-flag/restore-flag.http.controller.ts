import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { MutationRequestDto } from '../../http/mutation-request.dto';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { RestoreFlagCommand } from './restore-flag.command';

@ApiTags('flags')
@ApiBearerAuth()
@Controller('api/flags')
export class RestoreFlagHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Restores an archived flag with the configuration it had. */
  @Post(':key/restore')
  @HttpCode(200)
  @RequireRole('editor')
  @ScopedTo('all')
  async restore(
    @Param('key') key: string,
    @Body() body: MutationRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const command = new RestoreFlagCommand({ key }, commandMetadataFrom(request, body));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
