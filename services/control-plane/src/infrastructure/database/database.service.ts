import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { controlPlaneDataSource } from './data-source';

/** The control plane's Postgres connection: migrations on start, a ping for readiness. */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  readonly dataSource: DataSource;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.dataSource = controlPlaneDataSource(config.databaseUrl);
  }

  async onModuleInit(): Promise<void> {
    await this.dataSource.initialize();
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) this.logger.info({ migrations: applied.map((m) => m.name) }, 'database migrated');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  async reachable(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async recordLeader(leaseKey: string, instanceId: string, url: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO writer_lease (lease_key, instance_id, url, acquired_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (lease_key) DO UPDATE SET instance_id = excluded.instance_id, url = excluded.url, acquired_at = now()`,
      [leaseKey, instanceId, url],
    );
  }
}
