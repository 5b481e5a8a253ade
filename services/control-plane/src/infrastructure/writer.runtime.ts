import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { createKafka, ensureEventsTopic, topicNames } from '@flagpole/kafka';
import type { FlagpoleCommand, FlagpoleState } from '@flagpole/domain';
import type { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EventLogFollower } from '../writer/event-log-follower';
import { EventWriter, type CommandResult, type WriterStatus } from '../writer/event-writer';
import { LeaderLease } from './leader-lease';
import { MetricsService } from '../metrics/metrics.service';
import { DatabaseService } from './database/database.service';

/**
 * Owns the Kafka-facing parts of one control-plane instance: the follower that keeps state,
 * the writer, and the lease that decides whether this instance writes.
 */
@Injectable()
export class WriterRuntime implements OnModuleInit, OnApplicationShutdown {
  private readonly kafka: Kafka;
  private readonly follower: EventLogFollower;
  private readonly writer: EventWriter;
  private readonly lease: LeaderLease;
  private followerReady = false;
  private startup?: Promise<void>;
  private readonly readyListeners: (() => void)[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    private readonly metrics: MetricsService,
    private readonly database: DatabaseService,
  ) {
    const log = logger.logger.child({ component: 'writer' });
    this.kafka = createKafka(config.kafka, log, { maxRetryTimeMs: Math.max(1000, config.commandTimeoutMs - 1000) });
    const names = topicNames(config.kafka.topicPrefix);
    this.follower = new EventLogFollower(this.kafka, names.events, log);
    this.writer = new EventWriter(this.kafka, names, this.follower, log, {
      transactionalId: config.transactionalId,
      commandTimeoutMs: config.commandTimeoutMs,
      maxBatch: 200,
    });
    this.writer.onStatusChange((status) => {
      this.metrics.writerStatus(status);
      if (status === 'ready') for (const listener of this.readyListeners.splice(0)) listener();
    });
    this.lease = new LeaderLease(config.databaseUrl, `${config.transactionalId}`, log, async (leading) => {
      if (leading) {
        await this.writer.activate();
        const url = `http://${config.host}:${config.port}`;
        await this.database.recordLeader(config.transactionalId, config.instanceId, url).catch((error) => log.warn({ err: error }, 'could not record the leader'));
      } else await this.writer.deactivate('not_leader');
    });
  }

  onModuleInit(): void {
    // Start in the background: the HTTP server answers /health/live at once and /health/ready
    // turns true when the log has been read.
    this.startup = this.start().catch((error) => this.logger.error({ err: error }, 'control plane failed to start'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.startup;
    await this.lease.stop();
    await this.writer.deactivate('stopped');
    await this.follower.stop();
  }

  get state(): FlagpoleState {
    return this.follower.state;
  }

  get status(): { follower: boolean; writer: WriterStatus; leader: boolean } {
    return { follower: this.followerReady && !this.follower.failed, writer: this.writer.currentStatus, leader: this.lease.isLeader };
  }

  execute(command: FlagpoleCommand): Promise<CommandResult> {
    return this.writer.execute(command);
  }

  /** Runs `listener` once the writer is ready (at once if it already is). */
  whenWriterReady(listener: () => void): void {
    if (this.writer.currentStatus === 'ready') listener();
    else this.readyListeners.push(listener);
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
    const admin = this.kafka.admin();
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.connect();
        await ensureEventsTopic(admin, topicNames(this.config.kafka.topicPrefix));
        await admin.disconnect();
        break;
      } catch (error) {
        this.logger.warn({ err: error, attempt }, 'waiting for Kafka');
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
      }
    }
    await this.follower.start();
    this.followerReady = true;
    this.lease.start();
  }
}
