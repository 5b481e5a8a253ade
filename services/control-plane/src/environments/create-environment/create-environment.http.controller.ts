import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { CreateEnvironmentCommand } from './create-environment.command';
import { CreateEnvironmentRequestDto } from './create-environment.request.dto';

@ApiTags('environments')
@ApiBearerAuth()
@Controller('api/environments')
export class CreateEnvironmentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Creates an environment and its compacted state topic. */
  @Post()
  @RequireRole('admin')
  async create(
    @Body() body: CreateEnvironmentRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const { key, name, description, production } = body;
    const command = new CreateEnvironmentCommand({ key, name, description, production }, commandMetadataFrom(request, body));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
