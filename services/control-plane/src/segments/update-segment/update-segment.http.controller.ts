import { Body, Controller, Param, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { SegmentRequestDto, segmentRules } from '../create-segment/segment.request.dto';
import { UpdateSegmentCommand } from './update-segment.command';

@ApiTags('segments')
@ApiBearerAuth()
@Controller('api/environments/:env/segments')
export class UpdateSegmentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Replaces a segment's description and rules (use If-Match). */
  @Put(':key')
  @RequireRole('editor')
  @ScopedTo({ param: 'env' })
  async update(
    @Param('env') environment: string,
    @Param('key') key: string,
    @Body() body: SegmentRequestDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const data = { environment, key, name: body.name, description: body.description, rules: segmentRules(body) };
    return mutationResponse(response, await this.commandBus.execute(new UpdateSegmentCommand(data, commandMetadataFrom(request, body))));
  }
}
