import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ProjectorRuntime } from '../projector.runtime';

@Controller('health')
export class HealthController {
  constructor(private readonly runtime: ProjectorRuntime) {}

  /** The process is up. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready: Kafka and Postgres answer, the log has been applied up to its end as of start-up, and
   * nothing stops the projection (a refused event, a gap no partition can fill). The body says
   * where it stands either way: applied sequence, lag, and the refusal or stall in detail.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<Record<string, unknown>> {
    const [kafka, postgres] = await Promise.all([this.runtime.kafkaReachable(), this.runtime.postgresReachable()]);
    const projection = this.runtime.snapshot();
    const ready = kafka && postgres && projection?.status === 'live';
    response.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', checks: { kafka, postgres, projection: projection?.status ?? 'starting' }, projection: projection ?? null };
  }
}
