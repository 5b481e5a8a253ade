import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import {
  checkSchemaName,
  computeReadModelChecksum,
  migrateReadModel,
  READ_MODEL_SCHEMA,
  readModelDataSource,
  type ReadModelChecksum,
} from '@flagpole/read-model';
import { ProjectionPipeline, type ProjectionObserver } from '../projection/projection-pipeline';
import { ReadModelStore } from '../projection/read-model-store';

export interface RebuildOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** The live schema the rebuilt tables replace. */
  readonly schema?: string;
  /** false: build and checksum only, leaving the rebuilt schema next to the live one. */
  readonly swap?: boolean;
  /** Keep the replaced schema (renamed `<schema>_old_<ts>`) instead of dropping it. */
  readonly keepOld?: boolean;
  readonly maxBatch?: number;
  /** Where records are parsed and hashed for the chain check (ProjectionPipelineOptions.recordCheck); default on a worker thread. */
  readonly recordCheck?: 'thread' | 'inline';
  readonly observer?: ProjectionObserver;
  /** How long to wait for the log to reach the live projector's head before swapping. */
  readonly catchUpTimeoutMs?: number;
}

export interface RebuildResult {
  /** Where the rebuilt tables are now: the live schema after a swap, else the rebuild schema. */
  readonly schema: string;
  readonly swapped: boolean;
  /** The replaced schema, when kept. */
  readonly oldSchema?: string;
  readonly sequence: number;
  readonly events: number;
  /** Replaying the log into the fresh schema: consumer start to every event applied and committed. */
  readonly replaySeconds: number;
  /** events / replaySeconds. */
  readonly eventsPerSecond: number;
  /** Building the audit trail's deferred indexes and the planner statistics (alongside the checksum). */
  readonly indexSeconds: number;
  /** Reading the rebuilt schema back and computing its checksum. */
  readonly checksumSeconds: number;
  /** Everything: migrations, replay, index build, checksum, swap. */
  readonly totalSeconds: number;
  readonly checksum: ReadModelChecksum;
}

/**
 * Replays the whole events topic into a fresh schema, then swaps it in for the live one by
 * renaming schemas in one transaction. See README, "Rebuild".
 *
 * The swap takes the live head row FOR UPDATE, which waits for the live projector's current
 * batch and holds its next one; it swaps only if the rebuild has applied at least as far as the
 * live projection. The live projector's next batch then either continues the same chain on the
 * new tables (same head) or finds the head moved, fails its conditional update and reloads.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildResult> {
  const live = checkSchemaName(options.schema ?? READ_MODEL_SCHEMA);
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const suffix = randomBytes(2).toString('hex');
  const target = checkSchemaName(`rebuild_${stamp}_${suffix}`);
  const oldSchema = checkSchemaName(`${live}_old_${stamp}_${suffix}`.slice(0, 63));
  const log = options.logger.child({ rebuild: target });
  const dataSource = readModelDataSource(options.databaseUrl, { schema: target, applicationName: 'flagpole-rebuild', poolSize: 4 });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner('master');
  await lock.connect();
  try {
    const [{ locked }] = (await lock.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`flagpole-rebuild:${live}`])) as { locked: boolean }[];
    if (!locked) throw new Error(`another rebuild of ${live} is running`);
    const started = performance.now();
    await migrateReadModel(dataSource);
    const deferred = await dropAuditIndexes(dataSource, target);
    log.info({ topic: options.topic }, 'rebuilding the read model from the log');
    const replayStarted = performance.now();
    let pipeline = await replay(options, dataSource, log);
    const replaySeconds = (performance.now() - replayStarted) / 1000;
    // The index build is Postgres work, the checksum mostly Node's (canonical JSON of every row):
    // on separate connections they run side by side. CREATE INDEX's SHARE lock lets the checksum
    // read; a catch-up batch written meanwhile waits for the build, then lands indexed.
    const indexStarted = performance.now();
    let indexSeconds = 0;
    const indexing = buildIndexes(dataSource, target, deferred).then(() => {
      indexSeconds = (performance.now() - indexStarted) / 1000;
    });
    // Keeps an index build failure from going unhandled while the checksum runs.
    indexing.catch(() => undefined);
    let checksum: ReadModelChecksum;
    let checksumSeconds = 0;
    let sequence: number;
    for (let attempt = 1; ; attempt++) {
      const liveHead = await liveHeadSequence(dataSource, live);
      if (options.swap !== false && liveHead !== undefined && pipeline.snapshot().appliedSequence < liveHead) {
        await pipeline.waitForSequence(liveHead, options.catchUpTimeoutMs ?? 60_000);
      }
      sequence = pipeline.snapshot().appliedSequence;
      await pipeline.stop();
      const checksumStarted = performance.now();
      checksum = await computeReadModelChecksum(dataSource);
      checksumSeconds = (performance.now() - checksumStarted) / 1000;
      await indexing;
      if (options.swap === false) break;
      if (await swapIn(dataSource, live, target, oldSchema, sequence)) break;
      if (attempt >= 5) throw new Error('the live projection kept moving ahead of the rebuild; giving up');
      log.info({ attempt }, 'the live projection moved ahead during the swap; catching up again');
      pipeline = await replay(options, dataSource, log);
    }
    const swapped = options.swap !== false;
    if (swapped && !options.keepOld) await dataSource.query(`DROP SCHEMA IF EXISTS ${oldSchema} CASCADE`);
    const result: RebuildResult = {
      schema: swapped ? live : target,
      swapped,
      ...(swapped && options.keepOld ? { oldSchema } : {}),
      sequence,
      events: checksum.tables.audit_trail.rows,
      replaySeconds,
      eventsPerSecond: Math.round(checksum.tables.audit_trail.rows / replaySeconds),
      indexSeconds,
      checksumSeconds,
      totalSeconds: (performance.now() - started) / 1000,
      checksum,
    };
    log.info({ ...result, checksum: checksum.checksum }, 'rebuild finished');
    return result;
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`flagpole-rebuild:${live}`]).catch(() => undefined);
    await lock.release().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
  }
}

/** Applies the log into the rebuild schema up to the end it had when this started. */
async function replay(options: RebuildOptions, dataSource: DataSource, log: Logger): Promise<ProjectionPipeline> {
  const maxBatch = options.maxBatch ?? 50_000;
  const pipeline = new ProjectionPipeline({
    kafka: options.kafka,
    topic: options.topic,
    store: new ReadModelStore(dataSource, options.topic, { synchronousCommit: false }),
    logger: log,
    groupIdPrefix: `${options.topic}.rebuild`,
    // Large batches: every batch upserts each aggregate it touches once, and once a log has a
    // few thousand flags nearly every batch touches all of them, so Postgres's upsert work is
    // per batch, not per event (measured at 100,000 events: ~12 µs of Postgres time per event
    // with 20,000-event batches, ~5 with 50,000). The buffer holds the batch being written, the
    // one being built and the next fetches. Partitions read again as soon as a commit frees a
    // batch's room: with the default (half the buffer) they stayed paused until little more than
    // the two batches in hand was left, the fetches behind restarted from nothing, and the next
    // batch came out small: the batch loop stood idle 16.7 s of a 50.6 s replay of 1M events
    // (7.3 s and 5.6 s with these settings; RSS ~1.1 GB).
    maxBatch,
    maxBuffered: 4 * maxBatch,
    resumeBuffered: 3 * maxBatch,
    maxBytesPerPartition: 8 * 1024 * 1024,
    observer: options.observer,
    recordCheck: options.recordCheck,
  });
  try {
    await pipeline.start();
  } catch (error) {
    // The pipeline's record-check worker and any half-started consumer go with it.
    await pipeline.stop().catch(() => undefined);
    throw error;
  }
  const watch = { done: false };
  try {
    await Promise.race([pipeline.caughtUp, refusedOrStalled(pipeline, watch)]);
  } finally {
    watch.done = true;
  }
  return pipeline;
}

/** A rebuild cannot finish past a refused event or a real gap: fail loudly instead of waiting forever. */
async function refusedOrStalled(pipeline: ProjectionPipeline, watch: { done: boolean }): Promise<void> {
  while (!watch.done) {
    await new Promise((r) => setTimeout(r, 200));
    const snapshot = pipeline.snapshot();
    if (snapshot.status === 'refused' || snapshot.status === 'stalled') {
      await pipeline.stop();
      const why = snapshot.refusal?.message ?? snapshot.stall?.message ?? snapshot.status;
      throw new Error(`rebuild stopped at sequence ${snapshot.appliedSequence}: ${why}`);
    }
  }
}

/**
 * The audit trail's secondary indexes cost a fifth of every row loaded; building them once over
 * the full table is cheaper than maintaining them row by row. Returns their definitions (as
 * Postgres reports them, so they come back exactly as the migrations made them).
 */
async function dropAuditIndexes(dataSource: DataSource, schema: string): Promise<string[]> {
  const indexes = (await dataSource.query(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = $1 AND i.tablename = 'audit_trail'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = $1::regnamespace)`,
    [schema],
  )) as { indexname: string; indexdef: string }[];
  for (const index of indexes) await dataSource.query(`DROP INDEX ${schema}.${index.indexname}`);
  return indexes.map((i) => i.indexdef);
}

/**
 * Recreates the dropped indexes one after the other on one connection (Postgres already sorts
 * with parallel workers, and the other core is the checksum's), then gathers planner statistics:
 * fresh tables have none, and until autovacuum gets to them (never, where it is off) the planner
 * guesses — at 1,000,000 events it then read a flag's history page through the primary key:
 * 150 ms instead of 2.
 */
async function buildIndexes(dataSource: DataSource, schema: string, definitions: readonly string[]): Promise<void> {
  for (const definition of definitions) await dataSource.query(definition);
  const tables = (await dataSource.query('SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename', [schema])) as { tablename: string }[];
  for (const { tablename } of tables) await dataSource.query(`ANALYZE ${schema}.${tablename}`);
}

async function liveHeadSequence(dataSource: DataSource, live: string): Promise<number | undefined> {
  const [exists] = (await dataSource.query('SELECT to_regclass($1) AS t', [`${live}.projection_head`])) as { t: string | null }[];
  if (!exists?.t) return undefined;
  const [head] = (await dataSource.query(`SELECT last_sequence FROM ${live}.projection_head WHERE id = 1`)) as { last_sequence: string }[];
  return head ? Number(head.last_sequence) : undefined;
}

/** Renames the schemas in one transaction if the rebuild reached the live head; false if it did not. */
async function swapIn(dataSource: DataSource, live: string, target: string, oldSchema: string, rebuilt: number): Promise<boolean> {
  const runner = dataSource.createQueryRunner('master');
  await runner.connect();
  try {
    await runner.startTransaction();
    const [exists] = (await runner.query('SELECT to_regclass($1) AS t', [`${live}.projection_head`])) as { t: string | null }[];
    if (exists?.t) {
      const [head] = (await runner.query(`SELECT last_sequence FROM ${live}.projection_head WHERE id = 1 FOR UPDATE`)) as { last_sequence: string }[];
      if (head && Number(head.last_sequence) > rebuilt) {
        await runner.rollbackTransaction();
        return false;
      }
      await runner.query(`ALTER SCHEMA ${live} RENAME TO ${oldSchema}`);
    } else {
      const [schema] = (await runner.query('SELECT 1 AS found FROM pg_namespace WHERE nspname = $1', [live])) as { found: number }[];
      if (schema) await runner.query(`ALTER SCHEMA ${live} RENAME TO ${oldSchema}`);
    }
    await runner.query(`ALTER SCHEMA ${target} RENAME TO ${live}`);
    await runner.commitTransaction();
    return true;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
