import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { CreateSegmentCommand } from './create-segment.command';
import { CreateSegmentRequestDto, segmentRules } from './segment.request.dto';

@ApiTags('segments')
@ApiBearerAuth()
@Controller('api/environments/:env/segments')
export class CreateSegmentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Creates a reusable segment in one environment. */
  @Post()
  @RequireRole('editor')
  @ScopedTo({ param: 'env' })
  async create(
    @Param('env') environment: string,
    @Body() body: CreateSegmentRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const data = { environment, key: body.key, name: body.name, description: body.description, rules: segmentRules(body) };
    return mutationResponse(response, await this.commandBus.execute(new CreateSegmentCommand(data, commandMetadataFrom(request, body))));
  }
}
