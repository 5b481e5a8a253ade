import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { migrateReadModel, readModelDataSource } from '@flagpole/read-model';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/**
 * The projector's read model (schema `read_model`), which every query route reads. The control
 * plane never writes it; it only makes sure the schema exists (the same advisory-locked
 * migrations the projector runs), so queries answer "nothing yet" rather than failing when the
 * control plane starts before the projector.
 */
@Injectable()
export class ReadModelService implements OnModuleInit, OnApplicationShutdown {
  readonly dataSource: DataSource;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.dataSource = readModelDataSource(config.databaseUrl, { schema: config.readModelSchema, applicationName: 'flagpole-control-plane-queries', poolSize: 6 });
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async onModuleInit(): Promise<void> {
    await this.dataSource.initialize();
    const applied = await migrateReadModel(this.dataSource);
    if (applied.length > 0) this.logger.info({ migrations: applied }, 'read model migrated');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
