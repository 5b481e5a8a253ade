import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { ProjectorConfig } from './config/projector-config';
import { MetricsService } from './metrics/metrics.service';

/** Builds the projector application; used by main.ts and by the tests alike. */
export async function createApp(config: ProjectorConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const metrics = app.get(MetricsService);
  app.use((req: { method: string; route?: { path?: string } }, res: { statusCode: number; on: (e: string, f: () => void) => void }, next: () => void) => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => stop({ method: req.method, route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
  return app;
}
