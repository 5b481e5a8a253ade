import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { createKafka, ensureEventsTopic, topicNames } from '@flagpole/kafka';
import type { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { migrateReadModel, readModelDataSource } from '@flagpole/read-model';
import { PROJECTOR_CONFIG, type ProjectorConfig } from './config/projector-config';
import { MetricsService } from './metrics/metrics.service';
import { ProjectionPipeline, type ProjectionSnapshot } from './projection/projection-pipeline';
import { ReadModelStore } from './projection/read-model-store';

/**
 * Owns the live projection of one projector process: migrations, then the pipeline from
 * `<prefix>.events` into the read-model schema. Starts in the background so `/health/live`
 * answers at once, and keeps retrying while Kafka or Postgres are not there yet.
 */
@Injectable()
export class ProjectorRuntime implements OnModuleInit, OnApplicationShutdown {
  private readonly kafka: Kafka;
  private readonly dataSource: DataSource;
  private pipeline?: ProjectionPipeline;
  private startup?: Promise<void>;
  private stopping = false;

  constructor(
    @Inject(PROJECTOR_CONFIG) private readonly config: ProjectorConfig,
    private readonly logger: PinoLogger,
    private readonly metrics: MetricsService,
  ) {
    this.kafka = createKafka(config.kafka, logger.logger.child({ component: 'kafka' }));
    this.dataSource = readModelDataSource(config.databaseUrl, { schema: config.schema, applicationName: 'flagpole-projector' });
  }

  onModuleInit(): void {
    this.startup = this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.startup;
    await this.pipeline?.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /** The live pipeline, once started (tests wait on it). */
  get projection(): ProjectionPipeline | undefined {
    return this.pipeline;
  }

  snapshot(): ProjectionSnapshot | undefined {
    return this.pipeline?.snapshot();
  }

  async postgresReachable(): Promise<boolean> {
    if (!this.dataSource.isInitialized) return false;
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async kafkaReachable(): Promise<boolean> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async start(): Promise<void> {
    const log = this.logger.logger.child({ component: 'projector' });
    const names = topicNames(this.config.kafka.topicPrefix);
    for (let attempt = 1; !this.stopping; attempt++) {
      let pipeline: ProjectionPipeline | undefined;
      try {
        if (!this.dataSource.isInitialized) await this.dataSource.initialize();
        const applied = await migrateReadModel(this.dataSource);
        if (applied.length > 0) log.info({ migrations: applied, schema: this.config.schema }, 'read model migrated');
        const admin = this.kafka.admin();
        await admin.connect();
        try {
          // The control plane creates it too; whoever starts first does, with the same settings.
          await ensureEventsTopic(admin, names);
        } finally {
          await admin.disconnect();
        }
        pipeline = new ProjectionPipeline({
          kafka: this.kafka,
          topic: names.events,
          store: new ReadModelStore(this.dataSource, names.events),
          logger: log,
          groupIdPrefix: `${this.config.kafka.topicPrefix}.projector`,
          observer: this.metrics,
          maxBuffered: this.config.maxBuffered,
          maxBatch: this.config.maxBatch,
          stallAfterMs: this.config.stallAfterMs,
        });
        this.pipeline = pipeline;
        await pipeline.start();
        return;
      } catch (error) {
        log.warn({ err: error, attempt }, 'projector could not start; retrying');
        await pipeline?.stop().catch(() => undefined);
        this.pipeline = undefined;
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
      }
    }
  }
}
