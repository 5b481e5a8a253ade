import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describeError, type FlagpoleLogger } from '../logger';
import type { StateRecord } from './flag-state';

/**
 * Identifies the snapshot file format; bumped on any incompatible change.
 *
 * @example
 * ```ts
 * const file = JSON.parse(readFileSync('flags.json', 'utf8'));
 * if (file.format !== SNAPSHOT_FORMAT) throw new Error('not a Flagpole SDK snapshot');
 * ```
 */
export const SNAPSHOT_FORMAT = 'flagpole-sdk-snapshot/1';

/**
 * The content of a snapshot file: every record the client held, as read from the compacted topic,
 * and where in the topic it was. JSON, written atomically (temporary file + rename).
 *
 * @example
 * ```ts
 * const snapshot = client.snapshot();
 * console.log(snapshot.records.length, snapshot.offsets); // 1234 { '0': '5678' }
 * ```
 */
export interface FlagpoleSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly environment: string;
  readonly topic: string;
  /** Client-clock time (ISO-8601) the snapshot was taken. */
  readonly writtenAt: string;
  /** Positions per partition when taken (see `FlagpoleStatus.offsets`). */
  readonly offsets: Readonly<Record<string, string>>;
  /** Segments first, then flags; each exactly as its compacted-topic record. */
  readonly records: readonly StateRecord[];
}

/** Reads a snapshot; undefined (with a warning) when missing, unreadable or for another topic. */
export async function readSnapshot(
  file: string,
  expected: { readonly environment: string; readonly topic: string },
  logger: FlagpoleLogger,
): Promise<FlagpoleSnapshot | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing) logger.info({ file }, 'flagpole: no snapshot file yet');
    else logger.warn({ file, error: describeError(error) }, 'flagpole: cannot read the snapshot file');
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    logger.warn({ file, error: describeError(error) }, 'flagpole: the snapshot file is not valid JSON; ignoring it');
    return undefined;
  }
  const snapshot = parsed as Partial<FlagpoleSnapshot> | null;
  if (snapshot === null || typeof snapshot !== 'object' || snapshot.format !== SNAPSHOT_FORMAT || !Array.isArray(snapshot.records)) {
    logger.warn({ file }, `flagpole: the snapshot file is not a ${SNAPSHOT_FORMAT} snapshot; ignoring it`);
    return undefined;
  }
  if (snapshot.environment !== expected.environment || snapshot.topic !== expected.topic) {
    logger.warn(
      { file, snapshot: { environment: snapshot.environment, topic: snapshot.topic }, expected },
      'flagpole: the snapshot file belongs to another environment or topic; ignoring it',
    );
    return undefined;
  }
  return snapshot as FlagpoleSnapshot;
}

/**
 * Writes `snapshot` to `file` atomically: a temporary file in the same directory, flushed to disk,
 * then renamed over the target, so a reader (or a crash) only ever sees a complete file.
 */
export async function writeSnapshot(file: string, snapshot: FlagpoleSnapshot): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(snapshot));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Debounces snapshot writes: `schedule()` after every change; the file is written `debounceMs`
 * after the last change, but no later than `maxDelayMs` after the first unsaved one (a steady
 * stream of changes cannot postpone it forever). One write at a time; `flush()` writes now.
 */
export class SnapshotWriter {
  private timer: NodeJS.Timeout | undefined;
  private firstPendingAt: number | undefined;
  private writing: Promise<void> | undefined;
  private dirty = false;
  /** Client-clock time of the last successful write. */
  lastWrittenAt: number | undefined;

  constructor(
    private readonly file: string,
    private readonly take: () => FlagpoleSnapshot,
    private readonly options: { readonly debounceMs: number; readonly maxDelayMs: number; readonly now: () => number },
    private readonly logger: FlagpoleLogger,
    private readonly onError: (error: Error) => void,
  ) {}

  schedule(): void {
    this.dirty = true;
    const now = Date.now();
    this.firstPendingAt ??= now;
    const due = Math.min(now + this.options.debounceMs, this.firstPendingAt + this.options.maxDelayMs);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), Math.max(0, due - now));
    this.timer.unref();
  }

  /** Writes the current state now if it changed since the last write; resolves when written. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    this.firstPendingAt = undefined;
    this.writing = this.write().finally(() => (this.writing = undefined));
    await this.writing;
  }

  /** Stops the timer without writing. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async write(): Promise<void> {
    const started = Date.now();
    try {
      await writeSnapshot(this.file, this.take());
      this.lastWrittenAt = this.options.now();
      this.logger.debug({ file: this.file, ms: Date.now() - started }, 'flagpole: snapshot written');
    } catch (error) {
      this.dirty = true;
      this.logger.error({ file: this.file, error: describeError(error) }, 'flagpole: cannot write the snapshot file');
      this.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
