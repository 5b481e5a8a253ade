import { Body, Controller, Param, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { SetFlagVariantsCommand } from './set-flag-variants.command';
import { SetFlagVariantsRequestDto } from './set-flag-variants.request.dto';

@ApiTags('flags')
@ApiBearerAuth()
@Controller('api/flags')
export class SetFlagVariantsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Replaces the flag's variants; refused if a configured environment would break. */
  @Put(':key/variants')
  @RequireRole('editor')
  @ScopedTo('all')
  async setVariants(
    @Param('key') key: string,
    @Body() body: SetFlagVariantsRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const { variants, onVariant, offVariant } = body;
    const command = new SetFlagVariantsCommand({ key, variants, onVariant, offVariant }, commandMetadataFrom(request, body));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
