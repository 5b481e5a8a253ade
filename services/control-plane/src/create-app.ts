import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { MetricsService } from './metrics/metrics.service';

/** Builds the HTTP application; used by main.ts and by the e2e tests alike. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  // The API speaks JSON only: Nest's default urlencoded parser would be one more middleware on
  // every request, for bodies that validation refuses anyway.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: '512kb' });
  app.enableShutdownHooks();
  const metrics = app.get(MetricsService);
  app.use((req: { method: string; route?: { path?: string }; path: string }, res: { statusCode: number; on: (e: string, f: () => void) => void }, next: () => void) => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => stop({ method: req.method, route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Flagpole control plane')
      .setDescription('Event-sourced feature flags on Apache Kafka. Every mutation is a committed event; see DESIGN.md.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}
