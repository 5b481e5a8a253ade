import type { DataSource, QueryRunner } from 'typeorm';
import {
  ApprovalPolicyEntity,
  ChangeRequestEntity,
  EnvironmentEntity,
  FlagEntity,
  FlagEnvironmentEntity,
  ProjectionPositionEntity,
  recordsFromRows,
  SegmentEntity,
  TokenEntity,
  toColumns,
  toView,
  type AggregateRecord,
} from '@flagpole/read-model';
import { copyFromStdin, type PgClient } from './copy-in';
import { AUDIT_COPY_COLUMNS, type ProjectionBatch } from './projection-state';
import type { ChainPosition } from './sequencer';

/** The head in Postgres moved under us (a rebuild swapped tables in, or a second projector). */
export class HeadMovedError extends Error {}

/** The stored read model belongs to another log. */
export class TopicMismatchError extends Error {}

export interface StoredProjection {
  readonly head: ChainPosition;
  /** partition → offset of the next record to read. */
  readonly partitionOffsets: ReadonlyMap<number, bigint>;
  readonly records: Map<string, AggregateRecord>;
}

type ColumnType = 'text' | 'text[]' | 'boolean' | 'integer' | 'bigint' | 'jsonb' | 'timestamptz';
type Columns = readonly (readonly [string, ColumnType])[];

const TRACKED: Columns = [
  ['version', 'integer'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['last_sequence', 'bigint'],
];

const SQL = {
  audit: `COPY audit_trail (${AUDIT_COPY_COLUMNS.map((c) => `"${c}"`).join(', ')}) FROM STDIN`,
  environments: insert('environments', [['key', 'text'], ['name', 'text'], ['description', 'text'], ['production', 'boolean'], ...TRACKED], ['key']),
  flags: insert(
    'flags',
    [
      ['key', 'text'],
      ['name', 'text'],
      ['description', 'text'],
      ['kind', 'text'],
      ['owner', 'text'],
      ['tags', 'text[]'],
      ['expires_at', 'timestamptz'],
      ['type', 'text'],
      ['variants', 'jsonb'],
      ['on_variant', 'text'],
      ['off_variant', 'text'],
      ['status', 'text'],
      ...TRACKED,
    ],
    ['key'],
  ),
  flagEnvironments: insert(
    'flag_environments',
    [
      ['flag_key', 'text'],
      ['environment_key', 'text'],
      ['on', 'boolean'],
      ['config', 'jsonb'],
      ['version', 'integer'],
      ['updated_at', 'timestamptz'],
      ['last_sequence', 'bigint'],
    ],
    ['flag_key', 'environment_key'],
  ),
  segments: insert(
    'segments',
    [['environment_key', 'text'], ['key', 'text'], ['status', 'text'], ['name', 'text'], ['description', 'text'], ['rules', 'jsonb'], ...TRACKED],
    ['environment_key', 'key'],
  ),
  tokens: insert(
    'tokens',
    [
      ['id', 'text'],
      ['name', 'text'],
      ['role', 'text'],
      ['environments', 'jsonb'],
      ['secret_hash', 'text'],
      ['expires_at', 'timestamptz'],
      ['status', 'text'],
      ...TRACKED,
    ],
    ['id'],
  ),
  approvalPolicies: insert('approval_policies', [['environment_key', 'text'], ['policy', 'jsonb'], ...TRACKED], ['environment_key']),
  changeRequests: insert(
    'change_requests',
    [
      ['id', 'text'],
      ['status', 'text'],
      ['title', 'text'],
      ['author_id', 'text'],
      ['environments', 'text[]'],
      ['flag_keys', 'text[]'],
      ['reviewer_ids', 'text[]'],
      ['opened_at', 'timestamptz'],
      ['apply_at', 'timestamptz'],
      ['expires_at', 'timestamptz'],
      ['closed_at', 'timestamptz'],
      ['request', 'jsonb'],
      ...TRACKED,
    ],
    ['id'],
  ),
  positions: insert(
    'projection_position',
    [
      ['aggregate_id', 'text'],
      ['aggregate_type', 'text'],
      ['version', 'integer'],
      ['last_sequence', 'bigint'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    ['aggregate_id'],
  ),
};

/**
 * One statement per table per batch: the audit rows by COPY, the read-model rows as one JSON
 * parameter that Postgres unpacks with json_to_recordset (upserts), so a batch of thousands of
 * events costs a handful of round trips.
 */
function insert(table: string, columns: Columns, conflictKey?: readonly string[]): string {
  const names = columns.map(([name]) => `"${name}"`).join(', ');
  const definitions = columns.map(([name, type]) => `"${name}" ${type}`).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT ${names} FROM json_to_recordset($1::json) AS r(${definitions})`;
  if (!conflictKey) return sql;
  const updates = columns.filter(([name]) => !conflictKey.includes(name)).map(([name]) => `"${name}" = EXCLUDED."${name}"`);
  return `${sql} ON CONFLICT (${conflictKey.map((k) => `"${k}"`).join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
}

/**
 * The projector's side of Postgres: load where the projection stands, and write a batch — its
 * audit rows, read-model rows, positions and the new head — in one transaction that commits only
 * if the head is still the one the batch was built on.
 */
export class ReadModelStore {
  private runner?: QueryRunner;
  private client?: PgClient;

  constructor(
    readonly dataSource: DataSource,
    private readonly topic: string,
    private readonly options: {
      /**
       * false for a rebuild: a crash then loses the last commits, which a rebuild (re-run from
       * scratch) does not care about; the live projector keeps every commit durable.
       */
      readonly synchronousCommit?: boolean;
    } = {},
  ) {}

  async load(): Promise<StoredProjection> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [head] = (await manager.query('SELECT topic, last_sequence, last_hash, partition_offsets FROM projection_head WHERE id = 1')) as {
        topic: string | null;
        last_sequence: string;
        last_hash: string;
        partition_offsets: Record<string, string>;
      }[];
      if (!head) throw new Error('projection_head has no row: the read-model migrations did not run');
      if (head.topic !== null && head.topic !== this.topic) {
        throw new TopicMismatchError(`the read model was projected from ${head.topic}, not ${this.topic}; rebuild it to switch`);
      }
      const records = recordsFromRows({
        positions: (await manager.find(ProjectionPositionEntity)).map(toView.position),
        environments: (await manager.find(EnvironmentEntity)).map(toView.environment),
        flags: (await manager.find(FlagEntity)).map(toView.flag),
        flagEnvironments: (await manager.find(FlagEnvironmentEntity)).map(toView.flagEnvironment),
        segments: (await manager.find(SegmentEntity)).map(toView.segment),
        tokens: (await manager.find(TokenEntity)).map(toView.token),
        approvalPolicies: (await manager.find(ApprovalPolicyEntity)).map(toView.approvalPolicy),
        changeRequests: (await manager.find(ChangeRequestEntity)).map(toView.changeRequest),
      });
      const partitionOffsets = new Map(Object.entries(head.partition_offsets).map(([p, o]) => [Number(p), BigInt(o)]));
      return { head: { sequence: Number(head.last_sequence), hash: head.last_hash }, partitionOffsets, records };
    });
  }

  /** Writes a batch atomically. Throws HeadMovedError when Postgres no longer holds `batch.from`. */
  async write(batch: ProjectionBatch, partitionOffsets: Readonly<Record<string, string>>): Promise<void> {
    const { runner, client } = await this.connection();
    await runner.startTransaction();
    try {
      if (this.options.synchronousCommit === false) await runner.query('SET LOCAL synchronous_commit = off');
      // Serialises writers; the conditional UPDATE at the end is what actually guards.
      const [current] = (await runner.query('SELECT last_sequence, last_hash FROM projection_head WHERE id = 1 FOR UPDATE')) as { last_sequence: string; last_hash: string }[];
      if (!current || Number(current.last_sequence) !== batch.from.sequence || current.last_hash !== batch.from.hash) {
        throw new HeadMovedError(`the stored head is ${current?.last_sequence ?? 'missing'}, the batch builds on ${batch.from.sequence}`);
      }
      const copied = await copyFromStdin(client, SQL.audit, batch.auditRows);
      if (copied !== batch.events.length) throw new Error(`COPY wrote ${copied} audit rows, the batch has ${batch.events.length}`);
      await this.upsert(runner, SQL.environments, batch.environments.map(toColumns.environment));
      await this.upsert(runner, SQL.flags, batch.flags.map(toColumns.flag));
      await this.upsert(runner, SQL.flagEnvironments, batch.flagEnvironments.map(toColumns.flagEnvironment));
      await this.upsert(runner, SQL.segments, batch.segments.map(toColumns.segment));
      await this.upsert(runner, SQL.tokens, batch.tokens.map(toColumns.token));
      await this.upsert(runner, SQL.approvalPolicies, batch.approvalPolicies.map(toColumns.approvalPolicy));
      await this.upsert(runner, SQL.changeRequests, batch.changeRequests.map(toColumns.changeRequest));
      await this.upsert(runner, SQL.positions, batch.positions.map(toColumns.position));
      // Re-parsed now, so after a rebuild swapped schemas this names the new head: if that head is
      // not ours, nothing of this transaction survives.
      const moved = await runner.query(
        `UPDATE projection_head SET last_sequence = $1, last_hash = $2, partition_offsets = partition_offsets || $3::jsonb, topic = $4, updated_at = now()
          WHERE id = 1 AND last_sequence = $5 AND last_hash = $6`,
        [batch.to.sequence, batch.to.hash, JSON.stringify(partitionOffsets), this.topic, batch.from.sequence, batch.from.hash],
        true,
      );
      if (moved.affected !== 1) throw new HeadMovedError('the projection head changed during the batch');
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction().catch(() => this.dropConnection());
      // A unique violation means the rows are there already: someone else projected them.
      if ((error as { code?: string }).code === '23505') throw new HeadMovedError((error as Error).message);
      if (!(error instanceof HeadMovedError)) await this.dropConnection();
      throw error;
    }
  }

  /** Hashes the audit trail holds for these sequences (to tell a harmless redelivery from a conflicting one). */
  async storedHashes(sequences: readonly number[]): Promise<Map<number, string>> {
    if (sequences.length === 0) return new Map();
    const rows = (await this.dataSource.query('SELECT sequence, hash FROM audit_trail WHERE sequence = ANY($1::bigint[])', [sequences])) as { sequence: string; hash: string }[];
    return new Map(rows.map((r) => [Number(r.sequence), r.hash]));
  }

  async reachable(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.dropConnection();
  }

  private async upsert(runner: QueryRunner, sql: string, rows: readonly object[]): Promise<void> {
    if (rows.length > 0) await runner.query(sql, [JSON.stringify(rows)]);
  }

  /** One connection for all batches: no pool round trip per batch. */
  private async connection(): Promise<{ runner: QueryRunner; client: PgClient }> {
    if (!this.runner || this.runner.isReleased || !this.client) {
      const runner = this.dataSource.createQueryRunner('master');
      // TypeORM's Postgres query runner hands out its pg client here; COPY needs it directly.
      this.client = (await runner.connect()) as PgClient;
      this.runner = runner;
    }
    return { runner: this.runner, client: this.client };
  }

  private async dropConnection(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    this.client = undefined;
    if (runner && !runner.isReleased) await runner.release().catch(() => undefined);
  }
}
