import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { PROJECTOR_CONFIG, type ProjectorConfig } from './config/projector-config';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { ProjectorRuntime } from './projector.runtime';

@Module({})
export class AppModule {
  /** Configuration comes in from outside so tests can run isolated instances side by side. */
  static register(config: ProjectorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Only operations routes here, scraped constantly: request logs would be noise.
            autoLogging: false,
            customProps: () => ({ instance: config.instanceId }),
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: PROJECTOR_CONFIG, useValue: config }, MetricsService, ProjectorRuntime],
    };
  }
}
