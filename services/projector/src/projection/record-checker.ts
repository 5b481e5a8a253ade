import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-thread';
import { checkRecord, unpackVerdicts, type PackedVerdicts, type RecordVerdict } from './record-check';

/** Records' bytes end to end, and where each ends. */
export interface RecordCheckRequest {
  readonly id: number;
  readonly data: ArrayBuffer;
  readonly ends: Uint32Array;
}

/** One verdict per record of the request, in its order (packed: see PackedVerdicts). */
export interface RecordCheckReply {
  readonly id: number;
  readonly verdicts: PackedVerdicts;
}

/** A record as fetched, not yet parsed. */
export interface RawRecord {
  readonly partition: number;
  readonly offset: string;
  readonly bytes: Buffer;
}

export type Verdicts<R extends RawRecord> = (records: readonly R[], verdicts: readonly RecordVerdict[]) => void;

/**
 * Parses fetched records and checks each event's own hash (RFC 8785 canonical JSON + SHA-256,
 * checkRecord) on a worker thread, and hands back, in the order submitted, each record's verdict:
 * not an event, or its place in the chain (sequence, hash, prevHash) and whether it is intact.
 * The chain proper — sequence order, prevHash links, refusing what does not link — stays with
 * the Sequencer, on the main thread, which applies nothing it has no verdict for.
 *
 * Why a thread: a replay is bound by the one thread that decodes, folds and builds the batches
 * (see bench/rebuild/README.md). Parsing and hashing every event there cost ~15 µs of its ~50;
 * the other core has room. And the main thread keeps only the bytes and the few fields that place
 * each waiting event — not the parsed object, which it parses again just before applying it: up to
 * 150,000 events wait in a rebuild's buffer, and as parsed objects they were most of what the
 * garbage collector copied and traced.
 *
 * Without a worker (`threaded: false`, or once it failed) the same checks run synchronously in
 * check().
 */
export class RecordChecker<R extends RawRecord> {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, readonly R[]>();
  private closed = false;

  /** `onWorkerFailure`: the worker could not start or died; checks go on on this thread. */
  constructor(
    private readonly onVerdicts: Verdicts<R>,
    options: { readonly threaded: boolean; readonly onWorkerFailure?: (error: Error) => void },
  ) {
    if (!options.threaded) return;
    let worker: Worker;
    try {
      worker = startWorker('projection/record-check.worker');
    } catch (error) {
      options.onWorkerFailure?.(error as Error);
      return;
    }
    this.worker = worker;
    // Never what keeps the process alive: the consumer and the database connections do that.
    worker.unref();
    worker.on('message', (reply: RecordCheckReply) => {
      const records = this.pending.get(reply.id);
      if (!records) return;
      this.pending.delete(reply.id);
      this.onVerdicts(records, unpackVerdicts(reply.verdicts));
    });
    const fail = (reason: unknown): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.closed) return;
      options.onWorkerFailure?.(reason instanceof Error ? reason : new Error(`the record-check worker exited with code ${String(reason)}`));
      // What the worker still owed is checked here instead, in the order it was submitted.
      const owed = [...this.pending.values()];
      this.pending.clear();
      for (const records of owed) this.checkHere(records);
    };
    worker.on('error', fail);
    worker.on('exit', fail);
  }

  /** Whether checks run on the worker thread. */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  /** Records submitted whose verdicts have not been delivered yet. */
  get inFlight(): number {
    let n = 0;
    for (const records of this.pending.values()) n += records.length;
    return n;
  }

  /** Queues the records; their verdicts come through onVerdicts (synchronously, in here, without a worker). */
  check(records: readonly R[]): void {
    if (records.length === 0 || this.closed) return;
    const worker = this.worker;
    if (!worker) {
      this.checkHere(records);
      return;
    }
    const ends = new Uint32Array(records.length);
    let total = 0;
    for (let i = 0; i < records.length; i++) {
      total += records[i]!.bytes.length;
      ends[i] = total;
    }
    const data = new ArrayBuffer(total);
    const view = Buffer.from(data);
    let at = 0;
    for (const record of records) at += record.bytes.copy(view, at);
    const id = this.nextId++;
    this.pending.set(id, records);
    const request: RecordCheckRequest = { id, data, ends };
    worker.postMessage(request, [data, ends.buffer]);
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.pending.clear();
    await worker?.terminate();
  }

  private checkHere(records: readonly R[]): void {
    if (this.closed) return;
    this.onVerdicts(
      records,
      records.map((r) => checkRecord(r.bytes.toString('utf8'))),
    );
  }
}
