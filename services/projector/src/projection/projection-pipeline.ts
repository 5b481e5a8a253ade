import type { EventEnvelope } from '@flagpole/domain';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { EventSource, type FetchedBatch } from './event-source';
import type { EventHead, RecordVerdict } from './record-check';
import { RecordChecker, type RawRecord } from './record-checker';
import { ProjectionState, type BuildResult, type ProjectionBatch } from './projection-state';
import { HeadMovedError, type ReadModelStore } from './read-model-store';
import { Sequencer, type ChainPosition, type IncomingEvent, type Refusal } from './sequencer';

export type ProjectionStatus = 'starting' | 'catching_up' | 'live' | 'stalled' | 'refused' | 'database_unavailable' | 'stopped';
export const PROJECTION_STATUSES: readonly ProjectionStatus[] = ['starting', 'catching_up', 'live', 'stalled', 'refused', 'database_unavailable', 'stopped'];

/** Something odd in the log that does not stop the projection (the chain it applied is intact). */
export interface Anomaly {
  readonly kind: 'undecodable' | 'conflicting_duplicate';
  readonly partition: number;
  readonly offset: string;
  readonly sequence?: number;
  readonly message: string;
}

export interface Stall {
  /** The sequence no partition can still deliver. */
  readonly missingSequence: number;
  readonly buffered: number;
  readonly since: string;
  readonly message: string;
}

export interface ProjectionSnapshot {
  readonly status: ProjectionStatus;
  readonly appliedSequence: number;
  readonly appliedHash: string;
  /** Records (events and transaction markers) between what is applied and the log end; null before the first look. */
  readonly lagRecords: number | null;
  readonly buffered: number;
  readonly caughtUp: boolean;
  readonly aggregates: number;
  readonly refusal?: Refusal;
  readonly stall?: Stall;
  readonly lastError?: string;
  readonly anomalies: readonly Anomaly[];
}

/** Hooks for metrics; every method is optional so the rebuild command can run without any. */
export interface ProjectionObserver {
  applied?(batch: ProjectionBatch, seconds: number): void;
  duplicates?(count: number): void;
  anomaly?(anomaly: Anomaly): void;
  refused?(refusal: Refusal): void;
  status?(status: ProjectionStatus): void;
  lag?(records: number, buffered: number, appliedSequence: number): void;
  /**
   * Time the pump spent waiting with nothing to do: for the batch in flight to commit with the
   * next one built ('postgres'), or for events to build the next batch from while the log was
   * not yet applied to its end ('checker': fetched records still owed a verdict; 'fetch': none
   * owed, kafkajs had not delivered). Where a replay waits, to see what bounds it.
   */
  waited?(on: 'postgres' | 'checker' | 'fetch', seconds: number): void;
}

export interface ProjectionPipelineOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly store: ReadModelStore;
  readonly logger: Logger;
  readonly groupIdPrefix: string;
  readonly observer?: ProjectionObserver;
  /** Buffered out-of-order events above which partitions that cannot fill the gap are paused. */
  readonly maxBuffered?: number;
  /** Buffered events at or below which paused partitions read again (default: half of maxBuffered). */
  readonly resumeBuffered?: number;
  /** Events per Postgres transaction at most. */
  readonly maxBatch?: number;
  /** How long a gap no partition can fill must last before it is reported as a stall. */
  readonly stallAfterMs?: number;
  readonly monitorIntervalMs?: number;
  readonly maxBytesPerPartition?: number;
  readonly maxWaitTimeInMs?: number;
  /**
   * Where fetched records are parsed and hashed for the chain check (RecordChecker): 'thread'
   * (default) on a worker thread, verdicts posted back; 'inline' on the pipeline's own thread.
   */
  readonly recordCheck?: 'thread' | 'inline';
}

const MAX_ANOMALIES = 20;

type WriteOutcome = 'written' | 'moved' | 'stopped';

/**
 * Kafka → Sequencer (global order, chain check) → ProjectionState (fold, diff) → Postgres (one
 * transaction per batch, conditional on the head). Used by the live projector and by rebuild.
 */
export class ProjectionPipeline {
  private readonly maxBuffered: number;
  private readonly resumeBuffered: number;
  private readonly maxBatch: number;
  private readonly stallAfterMs: number;
  private sequencer = new Sequencer({ sequence: 0, hash: '' });
  private readonly checker: RecordChecker<FetchedRecord>;
  private state = new ProjectionState(new Map());
  private source?: EventSource;
  private status_: ProjectionStatus = 'starting';
  private targets?: Map<number, bigint>;
  private lows = new Map<number, bigint>();
  private lag_: number | null = null;
  private caughtUp_ = false;
  private resolveCaughtUp!: () => void;
  /** Resolves once the log has been applied up to its end as of `start()`. */
  readonly caughtUp: Promise<void>;
  private waiters: { sequence: number; resolve: () => void }[] = [];
  private monitor?: NodeJS.Timeout;
  private monitoring?: Promise<void>;
  private gapSince?: number;
  private stall?: Stall;
  private lastError?: string;
  private readonly anomalies: Anomaly[] = [];
  private stopping = false;
  private restarting?: Promise<void>;
  private pumping?: Promise<void>;
  /** Events arrived since the pump last looked. */
  private wanted = false;
  /** Batches are ignored while the consumer is being replaced. */
  private suspended = false;
  /** When the pump last stopped for want of ready events, and whether verdicts were owed then. */
  private starvedSince?: { at: number; checker: boolean };

  constructor(private readonly options: ProjectionPipelineOptions) {
    this.maxBuffered = options.maxBuffered ?? 20_000;
    this.resumeBuffered = Math.min(options.resumeBuffered ?? this.maxBuffered / 2, this.maxBuffered);
    this.maxBatch = options.maxBatch ?? 5000;
    this.stallAfterMs = options.stallAfterMs ?? 3000;
    this.caughtUp = new Promise((resolve) => (this.resolveCaughtUp = resolve));
    this.checker = new RecordChecker<FetchedRecord>((records, verdicts) => this.onVerdicts(records, verdicts), {
      threaded: options.recordCheck !== 'inline',
      onWorkerFailure: (error) => options.logger.warn({ err: error }, 'the record-check worker failed; checking records on the main thread'),
    });
  }

  get status(): ProjectionStatus {
    return this.status_;
  }

  snapshot(): ProjectionSnapshot {
    const { sequence, hash } = this.sequencer.position;
    return {
      status: this.status_,
      appliedSequence: sequence,
      appliedHash: hash,
      lagRecords: this.lag_,
      buffered: this.sequencer.buffered,
      caughtUp: this.caughtUp_,
      aggregates: this.state.aggregates,
      ...(this.sequencer.refusal ? { refusal: this.sequencer.refusal } : {}),
      ...(this.stall ? { stall: this.stall } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      anomalies: [...this.anomalies],
    };
  }

  async start(): Promise<void> {
    const stored = await this.options.store.load();
    this.state = new ProjectionState(stored.records);
    this.sequencer = new Sequencer(stored.head);
    this.options.logger.info({ sequence: stored.head.sequence, aggregates: stored.records.size }, 'projection loaded from Postgres');
    await this.startSource(stored.partitionOffsets);
    this.setStatus('catching_up');
    this.monitor = setInterval(() => void this.runMonitor(), this.options.monitorIntervalMs ?? 1000);
    this.monitor.unref();
    await this.runMonitor();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.monitor);
    await this.pumping;
    await this.restarting;
    await this.monitoring;
    await this.stopSource();
    await this.checker.close();
    await this.options.store.close();
    this.setStatus('stopped');
  }

  /** Resolves once every event up to `sequence` is applied (a consistency token, docs/decisions.md 2). */
  waitForSequence(sequence: number, timeoutMs: number): Promise<void> {
    if (this.sequencer.position.sequence >= sequence) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { sequence, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`sequence ${sequence} not applied within ${timeoutMs} ms (at ${this.sequencer.position.sequence}, ${this.status_})`));
      }, timeoutMs).unref();
    });
  }

  private async startSource(from: ReadonlyMap<number, bigint>): Promise<void> {
    const source = new EventSource({
      kafka: this.options.kafka,
      topic: this.options.topic,
      groupIdPrefix: this.options.groupIdPrefix,
      maxBytesPerPartition: this.options.maxBytesPerPartition,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs,
      onBatch: (batch) => this.onBatch(batch),
      onProgress: () => this.checkCaughtUp(),
      onCrash: (error) => {
        this.lastError = `Kafka consumer crashed: ${error.message}`;
        this.options.logger.error({ err: error }, 'Kafka consumer crashed; restarting it');
        this.requestRestart();
      },
    });
    this.source = source;
    await source.start(from);
    const offsets = await source.offsets();
    this.targets ??= new Map([...offsets].map(([p, o]) => [p, o.high]));
    this.lows = new Map([...offsets].map(([p, o]) => [p, o.low]));
  }

  private async stopSource(): Promise<void> {
    const source = this.source;
    this.source = undefined;
    await source?.stop();
  }

  /**
   * Hands a fetched batch to the record checker and returns; its verdicts (onVerdicts) put the
   * events into the buffer, and applying happens in `pump`, so kafkajs fetches and decodes the
   * next batch while Postgres writes this one. The buffer is bounded by pausing partitions
   * (regulate), never by blocking here — blocking could starve the very partition that holds the
   * next sequence.
   */
  private async onBatch(batch: FetchedBatch): Promise<void> {
    if (this.stopping || this.suspended) return;
    // Verdicts are for the sequencer the records were fetched for: after a restart they are read again.
    const sequencer = this.sequencer;
    let records: FetchedRecord[] = [];
    let turn = performance.now();
    for (const message of batch.messages) {
      records.push({ partition: batch.partition, offset: message.offset, bytes: message.value ?? EMPTY, sequencer });
      if (records.length < RECORD_CHECK_CHUNK) continue;
      // The worker starts on the first records of a large fetch while the rest are gathered.
      this.checker.check(records);
      records = [];
      // Without a worker the checks run right here; Postgres's replies wait for these turns.
      if (performance.now() - turn > TURN_MS) {
        await nextTurn();
        turn = performance.now();
      }
    }
    this.checker.check(records);
    this.kick();
    this.regulate();
  }

  /** Checked records: events into the buffer, anything else reported as an anomaly. */
  private onVerdicts(records: readonly FetchedRecord[], verdicts: readonly RecordVerdict[]): void {
    if (this.stopping) return;
    const redelivered: IncomingEvent[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const verdict = verdicts[i]!;
      if (record.sequencer !== this.sequencer) continue;
      if (verdict.error !== undefined) {
        // Not part of the chain as far as anyone can tell. If it was an event, its sequence is now
        // missing and the chain stops there — which is reported as a stall.
        const { partition, offset } = record;
        this.noteAnomaly({ kind: 'undecodable', partition, offset, message: `record at partition ${partition} offset ${offset} is not an event: ${verdict.error}` });
        continue;
      }
      const incoming = new RecordEvent(record.partition, record.offset, verdict.head, record.bytes);
      const outcome = this.sequencer.offer(incoming, verdict.intact);
      if (outcome === 'duplicate' && incoming.head.sequence <= this.sequencer.position.sequence) redelivered.push(incoming);
    }
    if (redelivered.length > 0) void this.checkRedelivered(redelivered);
    if (!this.suspended) this.kick();
    this.regulate();
    this.checkCaughtUp();
  }

  /** Redelivered events are harmless when identical to what was applied; say so loudly when not. */
  private async checkRedelivered(events: readonly IncomingEvent[]): Promise<void> {
    this.options.observer?.duplicates?.(events.length);
    let stored: Map<number, string>;
    try {
      stored = await this.options.store.storedHashes(events.map((e) => e.head.sequence));
    } catch {
      return; // Postgres trouble surfaces in the write that follows.
    }
    for (const e of events) {
      const hash = stored.get(e.head.sequence);
      if (hash !== undefined && hash !== e.head.hash) {
        this.noteAnomaly({
          kind: 'conflicting_duplicate',
          partition: e.partition,
          offset: e.offset,
          sequence: e.head.sequence,
          message: `partition ${e.partition} offset ${e.offset} holds a different event ${e.head.sequence} (hash ${e.head.hash}) than the one applied (hash ${hash}); it was not applied`,
        });
      }
    }
  }

  /** Makes sure the pump runs; it stops by itself when nothing is ready. */
  private kick(): void {
    this.wanted = true;
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
      if (this.wanted && !this.stopping && !this.suspended) this.kick();
    });
  }

  /**
   * Applies ready events batch by batch, one Postgres transaction each, in sequence order. While
   * batch N is being written, batch N+1 is built on top of N's staged records; it is written
   * only after N committed, and thrown away if N turns out not to (the head moved).
   */
  private async pump(): Promise<void> {
    let inflight: { batch: ProjectionBatch; write: Promise<WriteOutcome> } | undefined;
    const observer = this.options.observer;
    if (this.starvedSince && observer?.waited) {
      const { at, checker } = this.starvedSince;
      observer.waited(checker ? 'checker' : 'fetch', (performance.now() - at) / 1000);
    }
    this.starvedSince = undefined;
    try {
      while (!this.stopping && !this.suspended) {
        this.wanted = false;
        const after = inflight?.batch.to ?? this.sequencer.position;
        const ready = this.sequencer.ready(this.maxBatch, after);
        // A reload during the build's turns shows in the outcome of the write in flight (the
        // build is then dropped), or in the conditional head update of this batch's write.
        const built = ready.length > 0 ? await this.build(ready, after) : {};
        if (inflight) {
          const waitFrom = observer?.waited ? performance.now() : 0;
          // With nothing built meanwhile, what held the loop was the supply of records, not Postgres.
          const starvedOn = ready.length > 0 ? 'postgres' : this.checker.inFlight > 0 ? 'checker' : 'fetch';
          const outcome = await inflight.write;
          if (waitFrom > 0) observer?.waited?.(starvedOn, (performance.now() - waitFrom) / 1000);
          inflight = undefined;
          if (outcome !== 'written') {
            this.state.discard();
            continue;
          }
        }
        if (built.batch) {
          this.state.stage(built.batch);
          inflight = { batch: built.batch, write: this.write(built.batch) };
        }
        if (built.failure) {
          const { incoming, error } = built.failure;
          this.sequencer.refuse({ kind: error.kind, sequence: incoming.head.sequence, eventId: incoming.head.id, partition: incoming.partition, offset: incoming.offset, message: error.message });
        }
        if (!inflight) break;
      }
    } finally {
      if (inflight) await inflight.write;
      if (!this.caughtUp_ && !this.stopping) this.starvedSince = { at: performance.now(), checker: this.checker.inFlight > 0 };
      this.reportRefusal();
      this.regulate();
    }
  }

  /**
   * Builds a batch, giving the event loop a turn every ~10 ms. Postgres's replies to the batch
   * being written, and Kafka's fetches, are only handled in such turns: a synchronous build of
   * 50,000 events holds the loop for seconds, and the write it was meant to overlap then sat on
   * its first reply until the build was done (at 1M events the replay was build time plus write
   * time rather than the larger of the two).
   */
  private async build(events: readonly IncomingEvent[], after: ChainPosition): Promise<BuildResult> {
    const builder = this.state.batch(after);
    let turn = performance.now();
    for (let i = 0; i < events.length; i++) {
      if (!builder.add(events[i]!)) break;
      if ((i & 255) === 255 && performance.now() - turn > TURN_MS) {
        await nextTurn();
        turn = performance.now();
      }
    }
    return builder.finish();
  }

  private reportRefusal(): void {
    const refusal = this.sequencer.refusal;
    if (!refusal || this.status_ === 'refused') return;
    // Only once everything before it is applied: until then the head is still moving.
    if (refusal.sequence !== this.sequencer.position.sequence + 1 && refusal.kind !== 'conflict') return;
    this.options.logger.error({ refusal }, `projector refuses event ${refusal.sequence}: ${refusal.message}`);
    this.options.observer?.refused?.(refusal);
    this.setStatus('refused');
  }

  /** Writes a batch, retrying while Postgres is away; 'moved' when the head moved and the state was reloaded. */
  private async write(batch: ProjectionBatch): Promise<WriteOutcome> {
    for (let attempt = 1; !this.stopping; attempt++) {
      const started = performance.now();
      try {
        await this.options.store.write(batch, this.resumeOffsets(batch));
      } catch (error) {
        if (error instanceof HeadMovedError) {
          this.options.logger.warn({ reason: error.message }, 'the projection head moved in Postgres; reloading');
          await this.reload();
          return 'moved';
        }
        this.lastError = `Postgres: ${(error as Error).message}`;
        if (this.status_ !== 'database_unavailable') this.options.logger.error({ err: error }, 'writing to Postgres failed; retrying');
        this.setStatus('database_unavailable');
        await sleep(Math.min(5000, 200 * 2 ** attempt));
        continue;
      }
      this.state.commit(batch);
      this.sequencer.advance(batch.events);
      // The buffer just shrank by a batch: partitions paused for a full buffer may read again now.
      // Left to the pump's end, they stayed paused until every ready event was applied, and the
      // buffer ran dry while Postgres wrote the last of them.
      this.regulate();
      this.lastError = undefined;
      if (this.status_ === 'database_unavailable') this.setStatus(this.caughtUp_ ? 'live' : 'catching_up');
      this.options.observer?.applied?.(batch, (performance.now() - started) / 1000);
      this.releaseWaiters();
      this.checkCaughtUp();
      return 'written';
    }
    return 'stopped';
  }

  /**
   * Where to resume each partition after a crash: after the last applied event there, but never
   * past an event of that partition still waiting in the buffer.
   */
  private resumeOffsets(batch: ProjectionBatch): Record<string, string> {
    const resume: Record<string, string> = {};
    for (const [partition, after] of batch.appliedOffsets) {
      const pending = this.sequencer.firstBufferedOffsetAfter(partition, batch.to.sequence);
      resume[String(partition)] = (pending !== undefined && pending < after ? pending : after).toString();
    }
    return resume;
  }

  private async reload(): Promise<void> {
    const before = this.sequencer.position.sequence;
    const stored = await this.options.store.load();
    this.state = new ProjectionState(stored.records);
    this.sequencer.reset(stored.head);
    this.options.logger.info({ sequence: stored.head.sequence, was: before }, 'projection reloaded from Postgres');
    this.releaseWaiters();
    // Behind what we already consumed: read again from the stored offsets.
    if (stored.head.sequence < before) this.requestRestart();
    if (this.status_ === 'refused' && !this.sequencer.refusal) this.setStatus(this.caughtUp_ ? 'live' : 'catching_up');
  }

  /** Restarts consumption from the offsets in Postgres; outside the batch callback, which it would deadlock. */
  private requestRestart(): void {
    if (this.restarting || this.stopping) return;
    this.suspended = true;
    this.restarting = (async () => {
      await new Promise((r) => setImmediate(r));
      await this.stopSource();
      for (let attempt = 1; !this.stopping; attempt++) {
        try {
          const stored = await this.options.store.load();
          this.state = new ProjectionState(stored.records);
          this.sequencer = new Sequencer(stored.head);
          this.releaseWaiters();
          this.suspended = false;
          await this.startSource(stored.partitionOffsets);
          return;
        } catch (error) {
          this.suspended = true;
          await this.stopSource();
          this.lastError = (error as Error).message;
          this.options.logger.error({ err: error }, 'restarting the projection failed; retrying');
          await sleep(Math.min(5000, 250 * 2 ** attempt));
        }
      }
    })().finally(() => {
      this.restarting = undefined;
    });
  }

  /**
   * Bounded buffer: when it is full, pause the partitions that have already delivered a sequence
   * beyond the one the chain waits for — they cannot fill the gap — and keep reading the rest.
   */
  private regulate(): void {
    const source = this.source;
    if (!source) return;
    const partitions = [...(this.targets?.keys() ?? [])];
    if (this.sequencer.refusal) {
      source.pause(partitions);
      return;
    }
    const past = new Set(this.sequencer.partitionsPastNext(partitions));
    // A partition that may hold the next sequence must never stay paused.
    source.resume([...source.paused].filter((p) => !past.has(p)));
    const buffered = this.sequencer.buffered + this.checker.inFlight;
    if (buffered >= this.maxBuffered) source.pause([...past]);
    else if (buffered <= this.resumeBuffered) source.resume([...source.paused]);
  }

  private checkCaughtUp(): void {
    if (this.caughtUp_ || !this.targets || !this.source) return;
    for (const [partition, target] of this.targets) if (this.positionOf(partition) < target) return;
    // Fetched is not yet buffered while the checker still has records.
    if (this.sequencer.buffered > 0 || this.checker.inFlight > 0) return;
    this.caughtUp_ = true;
    this.options.logger.info({ sequence: this.sequencer.position.sequence }, 'projection caught up with the log');
    if (this.status_ === 'catching_up') this.setStatus('live');
    this.resolveCaughtUp();
  }

  private positionOf(partition: number): bigint {
    return this.source?.positions.get(partition) ?? this.lows.get(partition) ?? 0n;
  }

  private runMonitor(): Promise<void> {
    this.monitoring ??= this.monitorOnce().finally(() => (this.monitoring = undefined));
    return this.monitoring;
  }

  /** Lag against the log end, and whether a gap has become a stall. */
  private async monitorOnce(): Promise<void> {
    const source = this.source;
    if (!source || this.stopping || this.suspended) return;
    let offsets;
    try {
      offsets = await source.offsets();
    } catch (error) {
      this.lastError = `Kafka: ${(error as Error).message}`;
      return;
    }
    let lag = 0n;
    for (const [partition, { high }] of offsets) {
      const position = this.positionOf(partition);
      const applied = this.sequencer.firstBufferedOffset(partition) ?? position;
      if (high > applied) lag += high - applied;
    }
    this.lag_ = Number(lag);
    this.options.observer?.lag?.(this.lag_, this.sequencer.buffered, this.sequencer.position.sequence);
    this.checkCaughtUp();
    this.checkStall(offsets);
  }

  private checkStall(offsets: Map<number, { high: bigint }>): void {
    const waitingFor = this.sequencer.waitingFor;
    const provenMissing =
      waitingFor !== undefined &&
      [...offsets].every(([partition, { high }]) => (this.sequencer.lastSequenceSeen(partition) ?? -1) > waitingFor || this.positionOf(partition) >= high);
    if (!provenMissing || waitingFor === undefined) {
      this.gapSince = undefined;
      if (this.stall) {
        this.options.logger.info({ sequence: this.stall.missingSequence }, 'the gap filled; projection continues');
        this.stall = undefined;
        if (this.status_ === 'stalled') this.setStatus(this.caughtUp_ ? 'live' : 'catching_up');
      }
      return;
    }
    // Transaction markers land on partitions one by one; give a gap a moment before calling it.
    this.gapSince ??= Date.now();
    if (this.stall || Date.now() - this.gapSince < this.stallAfterMs) return;
    this.stall = {
      missingSequence: waitingFor,
      buffered: this.sequencer.buffered,
      since: new Date(this.gapSince).toISOString(),
      message: `event ${waitingFor} is not in the log: every partition has delivered beyond it or is at its end, ${this.sequencer.buffered} later events wait`,
    };
    this.options.logger.error({ stall: this.stall }, `projection stalled: ${this.stall.message}`);
    if (this.status_ !== 'refused') this.setStatus('stalled');
  }

  private noteAnomaly(anomaly: Anomaly): void {
    this.options.logger.warn({ anomaly }, anomaly.message);
    this.options.observer?.anomaly?.(anomaly);
    this.anomalies.push(anomaly);
    if (this.anomalies.length > MAX_ANOMALIES) this.anomalies.shift();
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const head = this.sequencer.position.sequence;
    this.waiters = this.waiters.filter((w) => {
      if (w.sequence > head) return true;
      w.resolve();
      return false;
    });
  }

  private setStatus(status: ProjectionStatus): void {
    if (this.status_ === status) return;
    this.status_ = status;
    this.options.observer?.status?.(status);
  }
}

/** A fetched record on its way to the checker, with the sequencer current when it was fetched. */
interface FetchedRecord extends RawRecord {
  readonly sequencer: Sequencer;
}

const EMPTY = Buffer.alloc(0);

/**
 * An event read from a record. Only what places it in the chain (`head`, from the checker) and
 * the record's bytes — outside the V8 heap — are kept: a rebuild holds up to 150,000 waiting
 * events, and kept as parsed objects (and as strings before that) they were most of what the
 * garbage collector copied, promoted and traced. The event is parsed again when it is applied
 * (once: `event` parses on every access), and its text decoded on the rare paths that need it.
 */
class RecordEvent implements IncomingEvent {
  constructor(
    readonly partition: number,
    readonly offset: string,
    readonly head: EventHead,
    readonly bytes: Buffer,
  ) {}

  get event(): EventEnvelope {
    return JSON.parse(this.raw) as EventEnvelope;
  }

  get raw(): string {
    return this.bytes.toString('utf8');
  }
}

/** How long batch building may hold the event loop before it lets I/O through. */
const TURN_MS = 10;

/** Records per message to the record-check worker. */
const RECORD_CHECK_CHUNK = 2048;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
