import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { CreateFlagCommand } from './create-flag.command';
import { CreateFlagRequestDto } from './create-flag.request.dto';

@ApiTags('flags')
@ApiBearerAuth()
@Controller('api/flags')
export class CreateFlagHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Creates a flag; it starts off in every environment. */
  @Post()
  @RequireRole('editor')
  async create(
    @Body() body: CreateFlagRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const { reason: _r, expectedVersion: _v, ...data } = body;
    const command = new CreateFlagCommand(data, commandMetadataFrom(request, body));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
