import { Body, Controller, Param, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { ConfigureFlagEnvironmentCommand } from './configure-flag-environment.command';
import { ConfigureFlagEnvironmentRequestDto } from './configure-flag-environment.request.dto';

@ApiTags('flags')
@ApiBearerAuth()
@Controller('api/flags')
export class ConfigureFlagEnvironmentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Replaces the flag's configuration in one environment (use If-Match). */
  @Put(':key/environments/:env')
  @RequireRole('editor')
  @ScopedTo({ param: 'env' })
  async configure(
    @Param('key') key: string,
    @Param('env') environment: string,
    @Body() body: ConfigureFlagEnvironmentRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const { reason: _r, expectedVersion: _v, ...fields } = body;
    // Absent optional parts are left out rather than stored as undefined.
    const config = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    const command = new ConfigureFlagEnvironmentCommand({ key, environment, config }, commandMetadataFrom(request, body));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
