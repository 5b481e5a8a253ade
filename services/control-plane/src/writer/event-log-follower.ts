import { decodeEvent, endOffsets, TopicReader, type TopicRecord } from '@flagpole/kafka';
import { FlagpoleState } from '@flagpole/domain';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * Keeps the in-memory state of every aggregate by reading `flagpole.events` (read_committed)
 * from the beginning and then tailing it. Every control-plane instance runs one: the leader
 * decides against it, the others authenticate and answer from it.
 */
export class EventLogFollower {
  readonly state = FlagpoleState.empty();
  private reader?: TopicReader;
  private waiters: { targets: Map<number, bigint>; resolve: () => void }[] = [];
  private lastRecordAt = 0;
  private failure?: Error;
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Resolves when the log has been read up to its end as of the call (the state is complete).
   * A failed attempt (a partition without a leader yet, right after the topic was created; a
   * broker restarting) is retried with backoff until it succeeds or `stop()` is called: a
   * control plane must not stay unready for good because of one transient error at start.
   */
  async start(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      // Before catching up, a failure rejects `caughtUp` and this loop retries; only a failure
      // after it is for good.
      let live = false;
      const reader = new TopicReader({
        kafka: this.kafka,
        topic: this.topic,
        tail: true,
        groupIdPrefix: 'flagpole-control-plane',
        onRecord: (record) => this.onRecord(record),
        onProgress: () => this.releaseWaiters(),
        // kafkajs gave up and will not restart: this instance's state stops moving, so it must
        // stop calling itself ready rather than answer from a frozen copy of the log.
        onFailure: (error) => {
          if (!live) return;
          this.failure = error;
          this.logger.error({ err: error }, 'reading the event log failed for good; this instance is no longer ready');
        },
      });
      this.reader = reader;
      try {
        await reader.start();
        await reader.caughtUp;
        live = true;
        this.logger.info({ sequence: this.state.lastSequence }, 'event log read to its end');
        return;
      } catch (error) {
        this.reader = undefined;
        await reader.stop().catch(() => undefined);
        if (this.stopped) break;
        const delayMs = Math.min(5000, 250 * 2 ** Math.min(attempt - 1, 5));
        this.logger.warn({ err: error, attempt, retryInMs: delayMs }, 'could not read the event log yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
      }
    }
    throw new Error('the event log follower was stopped before it caught up');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.reader?.stop();
    this.reader = undefined;
  }

  /** Set when the reader stopped for good (a crash kafkajs does not restart from). */
  get failed(): Error | undefined {
    return this.failure;
  }

  get lastEventAt(): number {
    return this.lastRecordAt;
  }

  /** Waits until this follower has read everything committed to the log so far. */
  async catchUp(timeoutMs: number): Promise<void> {
    const targets = await endOffsets(this.kafka, this.topic);
    if (this.reached(targets)) return;
    await new Promise<void>((resolve, reject) => {
      const waiter = { targets, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`event log not read to its end within ${timeoutMs} ms`));
      }, timeoutMs).unref();
    });
  }

  private onRecord(record: TopicRecord): void {
    const event = decodeEvent(record.message);
    this.state.apply(event);
    this.lastRecordAt = Date.now();
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => {
      if (!this.reached(w.targets)) return true;
      w.resolve();
      return false;
    });
  }

  private reached(targets: ReadonlyMap<number, bigint>): boolean {
    const positions = this.reader?.position ?? new Map<number, bigint>();
    for (const [partition, target] of targets) if ((positions.get(partition) ?? 0n) < target) return false;
    return true;
  }
}
