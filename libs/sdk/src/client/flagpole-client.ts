import { decodeStateRecord, topicNames, type TopicRecord } from '@flagpole/kafka';
import { FlagEvaluatorBase } from '../evaluator/flag-evaluator';
import { KafkaFlagSource, type FlagSourceHandlers } from '../kafka/kafka-flag-source';
import { createSdkKafka } from '../kafka/sdk-kafka';
import { describeError, silentLogger } from '../logger';
import { FlagState, type StateUpdate } from '../state/flag-state';
import { readSnapshot, SNAPSHOT_FORMAT, SnapshotWriter, type FlagpoleSnapshot } from '../state/snapshot';
import type { FlagpoleState, FlagpoleStatus, StartupTimings } from '../types';
import type { FlagpoleClientOptions } from './options';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The Flagpole SDK: serves one environment's flags from Kafka, evaluated in memory.
 *
 * `start()` captures the end offsets of `<prefix>.flags.<environment>`, reads the compacted topic
 * from its beginning (`read_committed`, every partition, in a consumer group of its own that
 * never commits offsets) until it reaches them, puts the configuration in place — it is then
 * *ready* — and keeps tailing the topic. Tombstones remove flags and segments. Per key, a record
 * older than the one held is ignored, so the state never goes backwards.
 *
 * When Kafka cannot be reached, `start()` resolves after `startTimeoutMs` all the same: with the
 * snapshot file (if configured and present) evaluations answer from it with reason `CACHED`;
 * without, they answer the callers' defaults with `PROVIDER_NOT_READY`. The client reconnects
 * with backoff; when it has read the topic to its end it swaps in the live configuration, emits
 * `ready` and a `change` for what differs from what it served.
 *
 * Evaluation (`getBooleanValue` …) is synchronous, never does I/O and never throws; it runs the
 * one evaluation engine, libs/evaluation.
 *
 * @example
 * ```ts
 * import { FlagpoleClient } from '@flagpole/sdk';
 *
 * const flags = new FlagpoleClient({ brokers: ['localhost:19092'], environment: 'production', snapshotPath: './flags.json' });
 * const status = await flags.start(); // ready, or serving the snapshot / defaults after 5 s
 * if (status.state !== 'READY') logger.warn(status, 'flags not live yet');
 *
 * const enabled = flags.getBooleanValue('new-checkout', false, { targetingKey: user.id, country: user.country });
 * flags.on('change', (e) => logger.info({ flags: e.flagKeys }, 'flags changed'));
 * // on shutdown
 * await flags.close();
 * ```
 */
export class FlagpoleClient extends FlagEvaluatorBase {
  /** The compacted topic this client reads. */
  readonly topic: string;
  private readonly environment: string;
  private readonly options: FlagpoleClientOptions;
  private readonly kafkaSource: KafkaFlagSource;
  private readonly snapshotWriter: SnapshotWriter | undefined;
  private lifecycle: FlagpoleState = 'NOT_READY';
  private started: Promise<FlagpoleStatus> | undefined;
  private startedAt = 0;
  private closed = false;
  private readonly timings: Mutable<StartupTimings> = {};
  // The current generation (complete read of the topic) of the Kafka source and its progress.
  private generation = 0;
  private live = false;
  private staging = new Map<string, StateUpdate>();
  private pending: StateUpdate[] = [];
  private lastRecordOffset = new Map<number, bigint>();
  private offsets: Readonly<Record<string, string>> = {};
  private lastUpdateAt: number | undefined;
  private lastConfirmedAt: number | undefined;
  private lastFetchWallTime = 0;
  private readyAt: number | undefined;
  private lastError: string | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private failures = 0;
  private readyWaiters: Array<(status: FlagpoleStatus) => void> = [];

  /**
   * Creates a client; nothing happens until {@link FlagpoleClient.start}.
   *
   * @example
   * ```ts
   * const flags = new FlagpoleClient({ brokers: ['localhost:19092'], environment: 'staging' });
   * ```
   */
  constructor(options: FlagpoleClientOptions) {
    const logger = options.logger ?? silentLogger;
    super(new FlagState(options.environment, logger), options.clock ?? Date.now, logger);
    if (!options.kafka && (!options.brokers || options.brokers.length === 0)) {
      throw new Error('FlagpoleClient needs `brokers` (or a kafkajs instance as `kafka`)');
    }
    this.options = options;
    this.environment = options.environment;
    this.topic = topicNames(options.topicPrefix ?? 'flagpole').flags(options.environment);
    const kafka =
      options.kafka ??
      createSdkKafka(
        {
          brokers: options.brokers ?? [],
          clientId: options.clientId ?? 'flagpole-sdk',
          ssl: options.ssl,
          sasl: options.sasl,
          connectionTimeoutMs: options.connectionTimeoutMs ?? 3000,
          requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
        },
        logger,
      );
    this.kafkaSource = new KafkaFlagSource({
      kafka,
      topic: this.topic,
      groupIdPrefix: options.groupIdPrefix ?? 'flagpole-sdk',
      consumer: {
        maxWaitTimeInMs: options.consumer?.maxWaitTimeInMs ?? 500,
        minBytes: options.consumer?.minBytes ?? 1,
        maxBytes: options.consumer?.maxBytes,
        maxBytesPerPartition: options.consumer?.maxBytesPerPartition,
        sessionTimeout: options.consumer?.sessionTimeout ?? 10_000,
        heartbeatInterval: options.consumer?.heartbeatInterval ?? 1000,
      },
      reconnect: {
        initialDelayMs: options.reconnect?.initialDelayMs ?? 250,
        maxDelayMs: options.reconnect?.maxDelayMs ?? 10_000,
      },
      logger,
      handlers: this.handlers(),
    });
    this.snapshotWriter = options.snapshotPath
      ? new SnapshotWriter(
          options.snapshotPath,
          () => this.snapshot(),
          { debounceMs: options.snapshotDebounceMs ?? 1000, maxDelayMs: options.snapshotMaxDelayMs ?? 10_000, now: this.clock },
          logger,
          (error) => this.emitError(error),
        )
      : undefined;
  }

  /**
   * Starts the client: loads the snapshot (if configured), connects to Kafka and reads the topic
   * to the end offsets captured now. Resolves with the status when ready, or after
   * `startTimeoutMs` when not (serving the snapshot or defaults, still trying). Calling it again
   * returns the same promise. Never rejects.
   *
   * @example
   * ```ts
   * const status = await flags.start();
   * console.log(status.state, status.source, status.startup); // 'READY' 'kafka' { endOffsets: 9, groupJoined: 41, caughtUp: 120, ready: 131 }
   * ```
   */
  start(): Promise<FlagpoleStatus> {
    this.started ??= this.doStart();
    return this.started;
  }

  /**
   * Resolves once the client is READY (at once if it is). If the client is closed first, it
   * resolves with the CLOSED status rather than rejecting.
   *
   * @example
   * ```ts
   * void flags.start();
   * await flags.whenReady(); // e.g. in a test: wait for Kafka however long it takes
   * ```
   */
  whenReady(): Promise<FlagpoleStatus> {
    if (this.lifecycle === 'READY' || this.closed) return Promise.resolve(this.status());
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * What the client serves and how fresh it is: state, source, Kafka positions, times of the last
   * change and of the last successful fetch, the last error, the start-up breakdown.
   *
   * @example
   * ```ts
   * const { state, offsets, lastConfirmedAt } = flags.status();
   * if (state !== 'READY') logger.warn({ offsets, lastConfirmedAt }, 'flags may be stale');
   * ```
   */
  status(): FlagpoleStatus {
    const status: Mutable<FlagpoleStatus> = {
      state: this.lifecycle,
      source: this.source,
      environment: this.environment,
      topic: this.topic,
      flags: this.state.flagCount,
      segments: this.state.segmentCount,
      offsets: this.offsets,
      startup: { ...this.timings },
    };
    if (this.lastUpdateAt !== undefined) status.lastUpdateAt = this.lastUpdateAt;
    if (this.lastConfirmedAt !== undefined) status.lastConfirmedAt = this.lastConfirmedAt;
    if (this.state.newestUpdatedAt !== undefined) status.lastRecordUpdatedAt = this.state.newestUpdatedAt;
    if (this.readyAt !== undefined) status.readyAt = this.readyAt;
    if (this.lastError !== undefined && this.lifecycle !== 'READY') status.lastError = this.lastError;
    return status;
  }

  /**
   * The configuration held, in the snapshot file's format: every record as read from the topic,
   * with the positions reached.
   *
   * @example
   * ```ts
   * const { records, offsets } = flags.snapshot();
   * ```
   */
  snapshot(): FlagpoleSnapshot {
    return {
      format: SNAPSHOT_FORMAT,
      environment: this.environment,
      topic: this.topic,
      writtenAt: new Date(this.clock()).toISOString(),
      offsets: this.offsets,
      records: this.state.records(),
    };
  }

  /**
   * Stops reading (the consumer leaves its group), writes a pending snapshot and completes the
   * observables. Evaluation keeps answering from the last configuration, reported `STALE`.
   *
   * @example
   * ```ts
   * process.once('SIGTERM', () => void flags.close().then(() => process.exit(0)));
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    await this.kafkaSource.close();
    this.lifecycle = 'CLOSED';
    if (this.serving === 'live') this.serving = 'stale';
    if (this.snapshotWriter) {
      this.snapshotWriter.cancel();
      await this.snapshotWriter.flush();
    }
    this.completeStreams();
    this.resolveWaiters();
  }

  private async doStart(): Promise<FlagpoleStatus> {
    if (this.closed) return this.status();
    this.startedAt = Date.now();
    if (this.options.snapshotPath) await this.loadSnapshot(this.options.snapshotPath);
    if (this.closed) return this.status();
    this.kafkaSource.start();
    const staleAfterMs = this.options.staleAfterMs ?? 5000;
    this.watchdog = setInterval(() => this.checkLiveness(staleAfterMs), Math.max(50, Math.min(1000, staleAfterMs / 4)));
    this.watchdog.unref();
    const timeoutMs = this.options.startTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.whenReady(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    if (this.lifecycle !== 'READY' && !this.closed) {
      this.timings.timedOut = this.elapsed();
      if (this.serving === 'none') {
        this.lifecycle = 'ERROR';
        this.logger.warn({ topic: this.topic, timeoutMs, lastError: this.lastError }, 'flagpole: not ready in time and no snapshot: serving defaults');
        this.emitError(new Error(`flagpole: not ready after ${timeoutMs} ms (${this.lastError ?? 'still reading'}); serving defaults`));
      } else {
        this.logger.warn({ topic: this.topic, timeoutMs, lastError: this.lastError }, 'flagpole: not ready in time: serving the snapshot');
      }
    }
    return this.status();
  }

  private async loadSnapshot(file: string): Promise<void> {
    const snapshot = await readSnapshot(file, { environment: this.environment, topic: this.topic }, this.logger);
    if (!snapshot || this.serving !== 'none') return;
    const latest = new Map<string, StateUpdate>();
    for (const record of snapshot.records) {
      const key = record?.kind === 'flag' ? record.flag?.key : record?.kind === 'segment' ? record.segment?.key : undefined;
      if (typeof key !== 'string') continue;
      latest.set(`${record.kind}/${key}`, { kind: record.kind, key, record });
    }
    this.state.replaceAll(latest);
    this.serving = 'cached';
    this.source = 'snapshot';
    this.offsets = snapshot.offsets ?? {};
    const writtenAt = Date.parse(snapshot.writtenAt);
    this.lastUpdateAt = Number.isFinite(writtenAt) ? writtenAt : undefined;
    this.timings.snapshotLoaded = this.elapsed();
    this.setLifecycle('STALE');
    this.logger.info({ file, flags: this.state.flagCount, segments: this.state.segmentCount, writtenAt: snapshot.writtenAt }, 'flagpole: serving the snapshot until Kafka is read');
  }

  private handlers(): FlagSourceHandlers {
    return {
      generationStarted: (generation) => {
        this.generation = generation;
        this.live = false;
        this.staging = new Map();
        this.pending = [];
        this.lastRecordOffset = new Map();
        this.logger.debug({ topic: this.topic, generation }, 'flagpole: reading the topic from its beginning');
      },
      endOffsetsCaptured: () => {
        this.timings.endOffsets ??= this.elapsed();
      },
      groupJoined: () => {
        this.timings.groupJoined ??= this.elapsed();
      },
      record: (generation, record) => {
        if (generation === this.generation) this.onRecord(record);
      },
      batchDone: (generation, positions) => {
        if (generation === this.generation) this.onBatchDone(positions);
      },
      caughtUp: (generation, positions) => {
        if (generation === this.generation) this.onCaughtUp(positions);
      },
      fetched: (generation) => {
        if (generation === this.generation) this.onFetched();
      },
      failed: (generation, error, retryInMs) => {
        if (generation === this.generation) this.onFailed(error, retryInMs);
      },
    };
  }

  private onRecord(record: TopicRecord): void {
    // kafkajs re-reads from the beginning after a rebalance (no committed offsets): skip what this
    // generation has already seen.
    const offset = BigInt(record.offset);
    const seen = this.lastRecordOffset.get(record.partition);
    if (seen !== undefined && offset <= seen) return;
    this.lastRecordOffset.set(record.partition, offset);
    let decoded;
    try {
      decoded = decodeStateRecord(record.message);
    } catch (error) {
      this.logger.warn({ partition: record.partition, offset: record.offset, error: describeError(error) }, 'flagpole: ignoring an undecodable record');
      return;
    }
    if (decoded === undefined) return;
    this.timings.firstRecord ??= this.elapsed();
    const update: StateUpdate = { kind: decoded.kind, key: decoded.key, record: decoded.value };
    if (this.live) this.pending.push(update);
    else this.staging.set(`${decoded.kind}/${decoded.key}`, update);
  }

  private onBatchDone(positions: ReadonlyMap<number, bigint>): void {
    this.confirmed();
    if (!this.live) return;
    this.offsets = offsetsOf(positions);
    if (this.pending.length === 0) return;
    const updates = this.pending;
    this.pending = [];
    const changes = this.state.apply(updates);
    if (changes.flags.length === 0 && changes.segments.length === 0) return;
    const now = this.clock();
    this.lastUpdateAt = now;
    this.publish(changes, this.offsets, now);
    this.snapshotWriter?.schedule();
  }

  private onCaughtUp(positions: ReadonlyMap<number, bigint>): void {
    this.timings.caughtUp ??= this.elapsed();
    const previous = this.serving;
    const changes = this.state.replaceAll(this.staging);
    this.staging = new Map();
    this.live = true;
    this.offsets = offsetsOf(positions);
    this.serving = 'live';
    this.source = 'kafka';
    this.lastError = undefined;
    this.failures = 0;
    const now = this.clock();
    this.readyAt = now;
    const changed = changes.flags.length > 0 || changes.segments.length > 0;
    if (changed || previous === 'none') this.lastUpdateAt = now;
    this.confirmed();
    this.timings.ready ??= this.elapsed();
    this.logger.info(
      { topic: this.topic, flags: this.state.flagCount, segments: this.state.segmentCount, offsets: this.offsets, ms: this.elapsed() },
      'flagpole: ready',
    );
    this.setLifecycle('READY');
    // The first load is not a change; replacing a snapshot or an older read is.
    if (previous !== 'none') this.publish(changes, this.offsets, now);
    // Persist what changed, and confirm a snapshot that was served (its offsets and time move on).
    if (changed || previous === 'none' || previous === 'cached') this.snapshotWriter?.schedule();
  }

  private onFetched(): void {
    this.confirmed();
    if (this.live && this.lifecycle === 'STALE' && !this.closed) {
      this.serving = 'live';
      this.lastError = undefined;
      this.logger.info({ topic: this.topic }, 'flagpole: Kafka answers again');
      this.setLifecycle('READY');
    }
  }

  private onFailed(error: Error, retryInMs: number): void {
    this.live = false;
    this.lastError =
      (error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION'
        ? `topic ${this.topic} does not exist (has the environment "${this.environment}" been created on the control plane?)`
        : describeError(error);
    // The first failure of a streak is a warning; repeats while it lasts are detail (every 10th is a warning again).
    this.failures += 1;
    const level = this.failures === 1 || this.failures % 10 === 0 ? 'warn' : 'debug';
    this.logger[level]({ topic: this.topic, error: this.lastError, attempt: this.failures, retryInMs }, 'flagpole: cannot read the flags topic; retrying');
    this.emitError(error);
    if (this.lifecycle === 'READY') {
      this.serving = 'stale';
      this.setLifecycle('STALE');
    }
  }

  private checkLiveness(staleAfterMs: number): void {
    if (this.lifecycle !== 'READY' || Date.now() - this.lastFetchWallTime <= staleAfterMs) return;
    this.lastError = `no answer from Kafka for ${staleAfterMs} ms`;
    this.logger.warn({ topic: this.topic, staleAfterMs }, 'flagpole: lost contact with Kafka; flags may be stale');
    this.serving = 'stale';
    this.setLifecycle('STALE');
  }

  private confirmed(): void {
    this.lastFetchWallTime = Date.now();
    this.lastConfirmedAt = this.clock();
  }

  private setLifecycle(next: FlagpoleState): void {
    if (this.lifecycle === next || this.closed) return;
    this.lifecycle = next;
    if (next === 'READY') {
      this.emit('ready', this.status());
      this.resolveWaiters();
    } else if (next === 'STALE') {
      this.emit('stale', this.status());
    }
  }

  private resolveWaiters(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    const status = this.status();
    for (const resolve of waiters) resolve(status);
  }

  private emitError(error: Error): void {
    // An 'error' event nobody listens to must not throw (Node's EventEmitter would).
    this.emit('error', error);
  }

  private elapsed(): number {
    return Date.now() - this.startedAt;
  }
}

function offsetsOf(positions: ReadonlyMap<number, bigint>): Readonly<Record<string, string>> {
  const offsets: Record<string, string> = {};
  for (const [partition, position] of [...positions].sort((a, b) => a[0] - b[0])) offsets[String(partition)] = position.toString();
  return offsets;
}
