import { randomUUID } from 'node:crypto';
import {
  compactedRecordsFor,
  decideAll,
  stampEvents,
  type CompactedRecord,
  type EventEnvelope,
  type FlagpoleCommand,
  type FlagpoleState,
} from '@flagpole/domain';
import { encodeEvent, encodeStateRecord, ensureFlagsTopics, type TopicNames } from '@flagpole/kafka';
import type { Kafka, Producer, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import { CommandQueue, type Pending } from './command-queue';
import type { EventLogFollower } from './event-log-follower';
import { isFencingError, WriterUnavailableError, type WriterUnavailableReason } from './writer-errors';

export interface WriterConfig {
  /** Fixed per deployment: a newer writer with the same id fences older ones (DESIGN.md decision 2). */
  readonly transactionalId: string;
  /** Upper bound on one transaction, so a dead broker yields a 503 rather than a hung request. */
  readonly commandTimeoutMs: number;
  readonly maxBatch: number;
}

export interface CommandResult {
  readonly aggregateId: string;
  /** The aggregate's version after the command (the new ETag). */
  readonly version: number;
  readonly events: readonly EventEnvelope[];
  /** Global sequence of the last event the caller's change produced, or the log head for a no-op. */
  readonly sequence: number;
}

export type WriterStatus = 'standby' | 'starting' | 'ready' | WriterUnavailableReason;

interface Accepted {
  readonly pending: Pending<FlagpoleCommand, CommandResult>;
  readonly aggregateId: string;
  readonly version: number;
  readonly events: readonly EventEnvelope[];
}

/**
 * The single writer: decides commands against the current state and appends their events and
 * the resulting compacted state in one Kafka transaction. It changes the in-memory state only
 * after Kafka committed, so a 2xx always means durable (DESIGN.md decisions 2-4).
 */
export class EventWriter {
  private status: WriterStatus = 'standby';
  private producer?: Producer;
  private recoveryTimer?: NodeJS.Timeout;
  private readonly queue: CommandQueue<FlagpoleCommand, CommandResult>;
  private readonly knownTopics = new Set<string>();
  private listeners: ((status: WriterStatus) => void)[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly names: TopicNames,
    private readonly follower: EventLogFollower,
    private readonly logger: Logger,
    private readonly config: WriterConfig,
  ) {
    this.queue = new CommandQueue((batch) => this.processBatch(batch), config.maxBatch);
  }

  get currentStatus(): WriterStatus {
    return this.status;
  }

  get state(): FlagpoleState {
    return this.follower.state;
  }

  onStatusChange(listener: (status: WriterStatus) => void): void {
    this.listeners.push(listener);
  }

  /** Takes up writing: fences any older writer, then reads the log to its end. */
  async activate(): Promise<void> {
    if (this.status === 'ready' || this.status === 'starting') return;
    this.setStatus('starting');
    try {
      await this.connect();
      this.setStatus('ready');
    } catch (error) {
      this.logger.warn({ err: error }, 'writer could not start; retrying');
      await this.disconnectProducer();
      this.setStatus(isFencingError(error) ? 'fenced' : 'kafka_unavailable');
      if (this.status === 'kafka_unavailable') this.scheduleRecovery();
    }
  }

  /** Stops writing (leadership lost or shutdown); waiting commands fail with 503. */
  async deactivate(reason: 'not_leader' | 'stopped'): Promise<void> {
    clearTimeout(this.recoveryTimer);
    this.setStatus(reason);
    this.queue.failAll(this.unavailable());
    await this.disconnectProducer();
  }

  execute(command: FlagpoleCommand): Promise<CommandResult> {
    if (this.status !== 'ready') return Promise.reject(this.unavailable());
    return this.queue.submit(command);
  }

  private async connect(): Promise<void> {
    const producer = this.kafka.producer({
      transactionalId: this.config.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 60_000,
      allowAutoTopicCreation: false,
      // Right after a commit the coordinator briefly answers CONCURRENT_TRANSACTIONS (it has
      // answered EndTxn but not yet written the markers); every queued command waits out the
      // back-off. The markers take a few ms here, so 5 ms (doubling) stalls a batch far less than
      // the Java client's 20 ms (KAFKA-5477) or kafkajs' 100 ms (bench/commands/README.md);
      // 10 retries keep the total budget (~5 s) near the command timeout for real outages.
      retry: { initialRetryTime: 5, retries: 10 },
    });
    this.producer = producer;
    await withTimeout(producer.connect(), this.config.commandTimeoutMs * 2, 'connecting the transactional producer');
    // kafkajs registers the transactional id lazily, on the first transaction. Open and abort
    // an empty one now: InitProducerId makes the broker bump the epoch, which aborts whatever
    // an older writer left open and fences it from ever committing again — before we read
    // the log, so nothing can be appended behind our back once we have caught up.
    const fence = await withTimeout(producer.transaction(), this.config.commandTimeoutMs * 2, 'registering the transactional id');
    await fence.abort();
    await this.follower.catchUp(this.config.commandTimeoutMs * 6);
    // Topics may have been deleted or never created while we were away: check them all again.
    this.knownTopics.clear();
    const environments = [...this.follower.state.environments()].flatMap((e) => (e.status === 'active' ? [e.key] : []));
    await this.ensureFlagTopics(environments);
  }

  private async processBatch(batch: Pending<FlagpoleCommand, CommandResult>[]): Promise<void> {
    if (this.status !== 'ready') throw this.unavailable();
    const fork = this.follower.state.fork();
    const accepted: Accepted[] = [];
    for (const pending of batch) {
      try {
        // Usually one decision; applying a change request also decides each change it makes.
        // All were decided before any is stamped, so they join the batch together or not at all.
        const decisions = decideAll(pending.command, fork);
        const events = decisions.flatMap((decision) => {
          const stamped = stampEvents(decision, decision.meta ?? pending.command.meta, fork, randomUUID);
          for (const event of stamped) fork.apply(event);
          return stamped;
        });
        const primary = decisions[0]!;
        const ownEvents = events.filter((e) => e.aggregateId === primary.aggregateId).length;
        accepted.push({ pending, aggregateId: primary.aggregateId, version: primary.baseVersion + ownEvents, events });
      } catch (error) {
        pending.reject(error);
      }
    }
    const events = accepted.flatMap((a) => a.events);
    if (events.length > 0) {
      try {
        await this.ensureFlagTopics(events.flatMap((e) => (e.type === 'EnvironmentCreated' ? [e.data.key] : [])));
        await withTimeout(this.transact(events, compactedRecordsFor(events, fork)), this.config.commandTimeoutMs, 'the Kafka transaction');
      } catch (error) {
        this.onTransactionFailure(error);
        for (const a of accepted) a.pending.reject(this.unavailable());
        return;
      }
      fork.commit();
    }
    for (const a of accepted) {
      const last = a.events[a.events.length - 1];
      a.pending.resolve({ aggregateId: a.aggregateId, version: a.version, events: a.events, sequence: last?.sequence ?? fork.lastSequence });
    }
  }

  private async transact(events: readonly EventEnvelope[], records: readonly CompactedRecord[]): Promise<void> {
    const producer = this.producer;
    if (!producer) throw this.unavailable();
    const byTopic = new Map<string, TopicMessages>([[this.names.events, { topic: this.names.events, messages: events.map(encodeEvent) }]]);
    for (const record of records) {
      const topic = this.names.flags(record.environment);
      const entry = byTopic.get(topic) ?? { topic, messages: [] };
      entry.messages.push(encodeStateRecord(record));
      byTopic.set(topic, entry);
    }
    const transaction = await producer.transaction();
    try {
      await transaction.sendBatch({ topicMessages: [...byTopic.values()], acks: -1 });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }

  private onTransactionFailure(error: unknown): void {
    if (isFencingError(error)) {
      this.logger.error({ err: error }, 'writer fenced by a newer writer; refusing commands');
      this.setStatus('fenced');
      this.queue.failAll(this.unavailable());
      void this.disconnectProducer();
      return;
    }
    this.logger.error({ err: error }, 'Kafka transaction failed; recovering');
    this.setStatus('kafka_unavailable');
    this.queue.failAll(this.unavailable());
    // The failed transaction's outcome is unknown until a new producer re-initialises the
    // transactional id; recovery does that and re-reads the log before taking commands.
    void this.disconnectProducer().then(() => this.scheduleRecovery());
  }

  private scheduleRecovery(delayMs = 1000): void {
    clearTimeout(this.recoveryTimer);
    this.recoveryTimer = setTimeout(async () => {
      if (this.status !== 'kafka_unavailable') return;
      try {
        await this.connect();
        this.logger.info('writer recovered');
        this.setStatus('ready');
      } catch (error) {
        await this.disconnectProducer();
        if (isFencingError(error)) return this.setStatus('fenced');
        this.logger.warn({ err: error }, 'writer still cannot reach Kafka');
        this.scheduleRecovery(Math.min(delayMs * 2, 5000));
      }
    }, delayMs);
    this.recoveryTimer.unref();
  }

  private async ensureFlagTopics(environments: readonly string[]): Promise<void> {
    const missing = environments.filter((env) => !this.knownTopics.has(this.names.flags(env)));
    if (missing.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureFlagsTopics(admin, this.names, missing);
      for (const env of missing) this.knownTopics.add(this.names.flags(env));
    } finally {
      await admin.disconnect();
    }
  }

  private async disconnectProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private setStatus(status: WriterStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.listeners) listener(status);
  }

  private unavailable(): WriterUnavailableError {
    const messages: Record<WriterStatus, string> = {
      standby: 'this instance is not the writer',
      not_leader: 'this instance is not the writer',
      starting: 'the writer is starting',
      ready: 'the writer is busy',
      kafka_unavailable: 'Kafka is unreachable; nothing was written',
      fenced: 'this writer was fenced by a newer one',
      stopped: 'the writer is shutting down',
    };
    const reason: WriterUnavailableReason = this.status === 'standby' || this.status === 'ready' ? 'not_leader' : this.status;
    return new WriterUnavailableError(reason, messages[this.status], reason === 'kafka_unavailable' ? 2 : 1);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
