import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { ToggleFlagCommand } from './toggle-flag.command';
import { ToggleFlagRequestDto } from './toggle-flag.request.dto';

@ApiTags('flags')
@ApiBearerAuth()
@Controller('api/flags')
export class ToggleFlagHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Turns a flag on or off in one environment; repeating the same state changes nothing. */
  @Post(':key/environments/:env/toggle')
  @HttpCode(200)
  @RequireRole('editor')
  @ScopedTo({ param: 'env' })
  async toggle(
    @Param('key') key: string,
    @Param('env') environment: string,
    @Body() body: ToggleFlagRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const command = new ToggleFlagCommand({ key, environment, on: body.on }, commandMetadataFrom(request, body));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
