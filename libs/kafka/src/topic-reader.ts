import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, ConsumerConfig, Kafka, KafkaMessage } from 'kafkajs';
import { restartingRetry } from './consumer-retry';

export interface TopicRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly message: KafkaMessage;
}

export interface TopicReaderOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  /** Called for every committed record, in order per partition; awaited before the next one. */
  readonly onRecord: (record: TopicRecord) => Promise<void> | void;
  /** Keep reading after catching up (tail); false stops after the end captured at start. */
  readonly tail: boolean;
  readonly groupIdPrefix?: string;
  /** Called whenever a partition's position moves (records or transaction markers read). */
  readonly onProgress?: () => void;
  /**
   * Consumer settings merged over the reader's own (latency tuning, retries). The group id,
   * isolation level and topic auto-creation are the reader's and cannot be overridden.
   */
  readonly consumerConfig?: Partial<Omit<ConsumerConfig, 'groupId' | 'readUncommitted' | 'allowAutoTopicCreation'>>;
  /** Handed the consumer right after it is created, before it connects (to watch its events). */
  readonly onConsumer?: (consumer: Consumer) => void;
  /** A crash kafkajs will not restart from, once per reader; not reported after `stop()`. */
  readonly onFailure?: (error: Error) => void;
}

/**
 * Reads a topic from the beginning with `read_committed` and tells when it has reached the end
 * offsets captured when reading started — the "ready" rule of DESIGN.md decision 7.
 *
 * Positions, not message offsets, decide "caught up": compaction leaves gaps, and a
 * transaction's commit marker occupies the last offset without ever being delivered. kafkajs
 * reports the last offset of every fetched batch (markers included) in END_BATCH_PROCESS,
 * which is the consumer's true position.
 */
export class TopicReader {
  private consumer?: Consumer;
  private readonly positions = new Map<number, bigint>();
  private targets = new Map<number, bigint>();
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: Error) => void;
  /** Resolves once every partition has been read up to the end captured at start. */
  readonly caughtUp: Promise<void>;
  private done = false;
  private stopped = false;
  private failed = false;

  constructor(private readonly options: TopicReaderOptions) {
    this.caughtUp = new Promise((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    // Callers that only care about `start()` should not see an unhandled rejection.
    this.caughtUp.catch(() => undefined);
  }

  /** The next offset to read, per partition. */
  get position(): ReadonlyMap<number, bigint> {
    return this.positions;
  }

  async start(): Promise<void> {
    const { kafka, topic } = this.options;
    this.targets = await endOffsets(kafka, topic);
    if (this.stopped) throw new Error(`reading ${topic} was stopped before it started`);
    const tuning = this.options.consumerConfig ?? {};
    const consumer = kafka.consumer({
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 100,
      ...tuning,
      groupId: `${this.options.groupIdPrefix ?? 'flagpole-reader'}-${randomUUID()}`,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      retry: restartingRetry(() => !this.stopped, tuning.retry),
    });
    this.consumer = consumer;
    this.options.onConsumer?.(consumer);
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      this.advance(payload.partition, BigInt(payload.lastOffset) + 1n);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.failed) return;
      this.failed = true;
      this.rejectCaughtUp(payload.error);
      // After stop() kafkajs stops restarting by design (restartingRetry): not a failure to report.
      if (!this.stopped) this.options.onFailure?.(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    // stop() may have run while connecting; run() would otherwise connect the consumer again.
    if (this.stopped) {
      await consumer.disconnect();
      throw new Error(`reading ${topic} was stopped while it started`);
    }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch, heartbeat }) => {
        for (const message of batch.messages) {
          await this.options.onRecord({ topic, partition: batch.partition, offset: message.offset, message });
        }
        await heartbeat();
        if (!this.options.tail && this.done) return;
      },
    });
    this.checkCaughtUp();
    if (!this.options.tail) {
      await this.caughtUp;
      await this.stop();
    }
  }

  /** Leaves the group and stops any restart; a `start()` still under way fails instead of reading. */
  async stop(): Promise<void> {
    this.stopped = true;
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await consumer.disconnect();
  }

  private advance(partition: number, next: bigint): void {
    const current = this.positions.get(partition) ?? 0n;
    if (next > current) this.positions.set(partition, next);
    this.checkCaughtUp();
    this.options.onProgress?.();
  }

  private checkCaughtUp(): void {
    if (this.done) return;
    for (const [partition, target] of this.targets) {
      if ((this.positions.get(partition) ?? 0n) < target) return;
    }
    this.done = true;
    this.resolveCaughtUp();
  }
}

/**
 * The offset after the last record of every partition, as of now. A partition that was
 * never written to (or whose records were all deleted) has end == start and counts as read.
 */
export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const targets = new Map<number, bigint>();
    for (const p of offsets) {
      const high = BigInt(p.high);
      if (high > BigInt(p.low)) targets.set(p.partition, high);
    }
    return targets;
  } finally {
    await admin.disconnect();
  }
}
