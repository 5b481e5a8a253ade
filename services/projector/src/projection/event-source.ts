import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { restartingRetry } from '@flagpole/kafka';

export interface FetchedBatch {
  readonly partition: number;
  readonly messages: readonly KafkaMessage[];
}

export interface EventSourceOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupIdPrefix: string;
  readonly onBatch: (batch: FetchedBatch) => Promise<void>;
  readonly onCrash?: (error: Error) => void;
  /** After a partition's position moved (kafkajs reports it once the batch callback returned). */
  readonly onProgress?: () => void;
  readonly maxBytesPerPartition?: number;
  readonly maxWaitTimeInMs?: number;
}

export interface PartitionOffsets {
  readonly low: bigint;
  readonly high: bigint;
}

/**
 * Reads the events topic with `read_committed`, from offsets the projector keeps in Postgres.
 *
 * Each process uses a consumer group of its own, positioned at the stored offsets: every instance needs every partition (the chain spans them), so a shared group would split the
 * log between instances, and Postgres — not Kafka — is where the position is committed, in the
 * same transaction as the rows. Kafka-side commits only let kafkajs resume after an internal
 * restart; events read but not yet applied stay in the projector's buffer meanwhile.
 */
export class EventSource {
  private consumer?: Consumer;
  private admin?: Admin;
  private groupId?: string;
  private readonly positions_ = new Map<number, bigint>();
  private readonly paused_ = new Set<number>();

  constructor(private readonly options: EventSourceOptions) {}

  /** Per partition, the offset after the last record fetched (transaction markers included). */
  get positions(): ReadonlyMap<number, bigint> {
    return this.positions_;
  }

  get paused(): ReadonlySet<number> {
    return this.paused_;
  }

  async start(from: ReadonlyMap<number, bigint>): Promise<void> {
    const { kafka, topic } = this.options;
    const admin = kafka.admin();
    await admin.connect();
    this.admin = admin;
    const offsets = await this.offsets();
    const seeks = [...offsets].map(([partition, { low }]) => {
      const stored = from.get(partition);
      const start = stored !== undefined && stored > low ? stored : low;
      this.positions_.set(partition, start);
      return { partition, offset: start.toString() };
    });
    this.groupId = `${this.options.groupIdPrefix}-${randomUUID()}`;
    const consumer = kafka.consumer({
      groupId: this.groupId,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 100,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 2 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
      retry: restartingRetry(() => this.consumer === consumer),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const next = BigInt(payload.lastOffset) + 1n;
      if (next > (this.positions_.get(payload.partition) ?? 0n)) this.positions_.set(payload.partition, next);
      this.options.onProgress?.();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.options.onCrash?.(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 5000,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch, isRunning }) => {
        if (!isRunning()) return;
        await this.options.onBatch({ partition: batch.partition, messages: batch.messages });
      },
    });
    // A fresh group starts at the beginning; move to the stored offsets before the first fetch
    // is used (kafkajs drops fetched batches of partitions with a pending seek). Seeding the
    // group with admin.setOffsets instead costs kafkajs a throw-away consumer and ~5 s.
    for (const seek of seeks) consumer.seek({ topic, ...seek });
  }

  /** Low and high watermarks of every partition, as of now. */
  async offsets(): Promise<Map<number, PartitionOffsets>> {
    if (!this.admin) throw new Error('the event source is not started');
    const offsets = await this.admin.fetchTopicOffsets(this.options.topic);
    return new Map(offsets.map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }]));
  }

  pause(partitions: readonly number[]): void {
    const fresh = partitions.filter((p) => !this.paused_.has(p));
    if (fresh.length === 0 || !this.consumer) return;
    for (const p of fresh) this.paused_.add(p);
    this.consumer.pause([{ topic: this.options.topic, partitions: fresh }]);
  }

  resume(partitions: readonly number[]): void {
    const held = partitions.filter((p) => this.paused_.has(p));
    if (held.length === 0 || !this.consumer) return;
    for (const p of held) this.paused_.delete(p);
    this.consumer.resume([{ topic: this.options.topic, partitions: held }]);
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    const admin = this.admin;
    this.consumer = undefined;
    this.admin = undefined;
    await consumer?.disconnect().catch(() => undefined);
    if (admin) {
      // The group was this process's alone; leave nothing behind on a clean stop.
      if (this.groupId) await admin.deleteGroups([this.groupId]).catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    }
  }
}
