import { Controller, Delete, Param, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, ScopedTo } from '../../auth/auth.decorators';
import type { AuthenticatedRequest } from '../../auth/token-auth.guard';
import { commandMetadataFrom } from '../../http/command-metadata.factory';
import { mutationResponse, type MutationResponse } from '../../http/mutation-response';
import { DeleteSegmentCommand } from './delete-segment.command';

@ApiTags('segments')
@ApiBearerAuth()
@Controller('api/environments/:env/segments')
export class DeleteSegmentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Deletes a segment no flag uses any more (409 naming the flags otherwise). */
  @Delete(':key')
  @RequireRole('editor')
  @ScopedTo({ param: 'env' })
  async remove(
    @Param('env') environment: string,
    @Param('key') key: string,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MutationResponse> {
    const command = new DeleteSegmentCommand({ environment, key }, commandMetadataFrom(request));
    return mutationResponse(response, await this.commandBus.execute(command));
  }
}
