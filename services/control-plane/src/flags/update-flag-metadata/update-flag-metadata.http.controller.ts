import { Body, Controller, Param, Patch, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { UpdateFlagMetadataCommand } from './update-flag-metadata.command';
import { UpdateFlagMetadataRequestDto } from './update-flag-metadata.request.dto';

@ApiTags('flags')
@ApiBearerAuth()
@Controller('api/flags')
export class UpdateFlagMetadataHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Changes name, description, kind, owner, tags or expiry; evaluation is unaffected. */
  @Patch(':key')
  @RequireRole('editor')
  async update(
    @Param('key') key: string,
    @Body() body: UpdateFlagMetadataRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const { reason: _r, expectedVersion: _v, ...fields } = body;
    const command = new UpdateFlagMetadataCommand({ key, ...fields }, commandMetadataFrom(request, body));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
