import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { DatabaseService } from '../infrastructure/database/database.service';
import { WriterRuntime } from '../infrastructure/writer.runtime';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly runtime: WriterRuntime,
    private readonly database: DatabaseService,
  ) {}

  /** The process is up. */
  @Public()
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready to serve: Kafka and Postgres answer, the event log has been read, and — on the
   * instance holding the lease — the writer takes commands.
   */
  @Public()
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<Record<string, unknown>> {
    const [kafka, postgres] = await Promise.all([this.runtime.kafkaReachable(), this.database.reachable()]);
    const { follower, writer, leader } = this.runtime.status;
    const writerOk = leader ? writer === 'ready' : true;
    const ready = kafka && postgres && follower && writerOk;
    response.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', checks: { kafka, postgres, eventLog: follower, writer, leader } };
  }
}
