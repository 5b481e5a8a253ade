import { TopicReader, type TopicRecord } from '@flagpole/kafka';
import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs';
import { describeError, type FlagpoleLogger } from '../logger';

/** Consumer settings the SDK applies on top of `TopicReader`'s. */
export interface ConsumerTuning {
  readonly maxWaitTimeInMs: number;
  readonly minBytes: number;
  readonly maxBytes?: number;
  readonly maxBytesPerPartition?: number;
  readonly sessionTimeout: number;
  readonly heartbeatInterval: number;
}

export interface ReconnectPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** What the source tells its owner; `generation` numbers the reads of the topic from its beginning. */
export interface FlagSourceHandlers {
  /** A new read from the beginning starts; what follows until `caughtUp` is a complete re-read. */
  generationStarted(generation: number): void;
  /** The end offsets to reach were captured (the consumer is being created). */
  endOffsetsCaptured(generation: number): void;
  groupJoined(generation: number): void;
  /** A committed record, in order per partition. */
  record(generation: number, record: TopicRecord): void;
  /** A fetched batch was processed: positions moved (records or transaction markers read). */
  batchDone(generation: number, positions: ReadonlyMap<number, bigint>): void;
  /** Every partition was read up to the end offsets captured when the generation started. */
  caughtUp(generation: number, positions: ReadonlyMap<number, bigint>): void;
  /** A fetch request answered: the broker is reachable and we are a member of the group. */
  fetched(generation: number): void;
  /** The generation failed (Kafka unreachable, topic missing, consumer crashed); retried after `retryInMs`. */
  failed(generation: number, error: Error, retryInMs: number): void;
}

class Interrupted extends Error {}

const STOP_WAIT_MS = 30_000;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Reads `<prefix>.flags.<env>` with libs/kafka's `TopicReader` (read_committed, its own consumer
 * group, no offset commits, "caught up" = positions reached the end offsets captured at start)
 * and keeps doing so: when the consumer crashes or cannot reach Kafka, it is stopped and a new
 * generation starts — a fresh reader, new end offsets, a complete re-read — after an
 * exponential backoff with jitter. kafkajs' own restart is disabled (`restartOnFailure`) so that
 * exactly one loop owns reconnection.
 */
export class KafkaFlagSource {
  private closed = false;
  private generation = 0;
  private reader: TopicReader | undefined;
  private interrupt: ((error: Error) => void) | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly options: {
      readonly kafka: Kafka;
      readonly topic: string;
      readonly groupIdPrefix: string;
      readonly consumer: ConsumerTuning;
      readonly reconnect: ReconnectPolicy;
      readonly logger: FlagpoleLogger;
      readonly handlers: FlagSourceHandlers;
    },
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops reading and waits for the consumer to leave its group. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    this.interrupt?.(new Interrupted('closed'));
    await this.loop;
  }

  private async run(): Promise<void> {
    const { handlers, logger, topic } = this.options;
    let attempt = 0;
    while (!this.closed) {
      const generation = ++this.generation;
      let rejectCrash!: (error: Error) => void;
      const crashed = new Promise<never>((_, reject) => (rejectCrash = reject));
      crashed.catch(() => undefined);
      this.interrupt = rejectCrash;
      const reader = new TopicReader({
        kafka: this.options.kafka,
        consumerConfig: this.consumerOverrides(),
        onConsumer: (consumer) => this.watch(consumer, generation, rejectCrash),
        topic,
        tail: true,
        groupIdPrefix: this.options.groupIdPrefix,
        onRecord: (record) => handlers.record(generation, record),
        onProgress: () => handlers.batchDone(generation, reader.position),
      });
      this.reader = reader;
      handlers.generationStarted(generation);
      let failure: Error | undefined;
      // start() resolves once the consumer runs (end offsets captured, group joined).
      const starting = reader.start();
      starting.catch(() => undefined);
      try {
        await Promise.race([starting, crashed]);
        await Promise.race([reader.caughtUp, crashed]);
        if (this.closed) break;
        handlers.caughtUp(generation, reader.position);
        attempt = 0;
        await crashed; // tail until the consumer crashes or close() interrupts
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      } finally {
        this.reader = undefined;
        this.interrupt = undefined;
        // Never leave a half-started consumer behind: let start() settle (it fails fast when Kafka
        // is unreachable), then disconnect, which also leaves the consumer group.
        await Promise.race([starting.catch(() => undefined), pause(STOP_WAIT_MS)]);
        await reader.stop().catch((error: unknown) => logger.debug({ error: describeError(error) }, 'flagpole: error while stopping a reader'));
      }
      if (this.closed || failure instanceof Interrupted) break;
      const delay = backoff(attempt++, this.options.reconnect);
      handlers.failed(generation, failure ?? new Error('the Kafka consumer stopped'), delay);
      await this.sleep(delay);
    }
  }

  private consumerOverrides(): Partial<ConsumerConfig> {
    const tuning = this.options.consumer;
    return {
      maxWaitTimeInMs: tuning.maxWaitTimeInMs,
      minBytes: tuning.minBytes,
      ...(tuning.maxBytes !== undefined ? { maxBytes: tuning.maxBytes } : {}),
      ...(tuning.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: tuning.maxBytesPerPartition } : {}),
      sessionTimeout: tuning.sessionTimeout,
      heartbeatInterval: tuning.heartbeatInterval,
      // A few quick retries inside kafkajs, then a crash that our loop turns into a new generation.
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2000, restartOnFailure: async () => false },
    };
  }

  private watch(consumer: Consumer, generation: number, crash: (error: Error) => void): void {
    const { handlers } = this.options;
    // TopicReader creates its consumer right after capturing the end offsets.
    handlers.endOffsetsCaptured(generation);
    consumer.on(consumer.events.GROUP_JOIN, () => handlers.groupJoined(generation));
    consumer.on(consumer.events.FETCH, () => handlers.fetched(generation));
    consumer.on(consumer.events.CRASH, ({ payload }) => crash(payload.error));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** Exponential backoff with jitter: 50–100 % of min(max, initial × 2^attempt). */
export function backoff(attempt: number, policy: ReconnectPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
