import { DataSource, MigrationExecutor } from 'typeorm';
import { readModelEntities } from '../entities/read-model.entities';
import { ReadModel1764000000000 } from '../migrations/1764000000000-read-model';
import { Approvals1764100000000 } from '../migrations/1764100000000-approvals';
import { AuditQueryIndexes1764200000000 } from '../migrations/1764200000000-audit-query-indexes';
import { AuditJsonColumns1764300000000 } from '../migrations/1764300000000-audit-json-columns';

/** Where the live read models live. A rebuild fills a fresh schema and renames it to this. */
export const READ_MODEL_SCHEMA = 'read_model';

export const readModelMigrations = [ReadModel1764000000000, Approvals1764100000000, AuditQueryIndexes1764200000000, AuditJsonColumns1764300000000];

export interface ReadModelDataSourceOptions {
  readonly schema?: string;
  readonly applicationName?: string;
  readonly poolSize?: number;
}

/**
 * A TypeORM data source bound to one read-model schema. Tables are unqualified in SQL and
 * entities; `search_path` picks the schema. Names are resolved when a statement is parsed, so
 * after a rebuild renames schemas, the next statement of every connection sees the new tables.
 */
export function readModelDataSource(url: string, options: ReadModelDataSourceOptions = {}): DataSource {
  const schema = checkSchemaName(options.schema ?? READ_MODEL_SCHEMA);
  return new DataSource({
    type: 'postgres',
    url,
    schema,
    entities: readModelEntities,
    migrations: readModelMigrations,
    migrationsTableName: 'read_model_migrations',
    synchronize: false,
    extra: { max: options.poolSize ?? 4, application_name: options.applicationName ?? 'flagpole-read-model', options: `-c search_path=${schema}` },
  });
}

/**
 * Creates the schema if needed and applies pending migrations; returns the names applied.
 * Instances starting together take turns (an advisory lock per schema): TypeORM itself does not
 * guard against two processes running the same migration. Lock and migrations share one
 * connection, so this works with a pool of one.
 */
export async function migrateReadModel(dataSource: DataSource): Promise<string[]> {
  const schema = schemaOf(dataSource);
  const runner = dataSource.createQueryRunner('master');
  await runner.connect();
  const lock = `flagpole-read-model-migrations:${schema}`;
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'all';
    const applied = await executor.executePendingMigrations();
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).catch(() => undefined);
    await runner.release();
  }
}

export function schemaOf(dataSource: DataSource): string {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (!schema) throw new Error('a read-model data source always names its schema');
  return schema;
}

/** Schema names are spliced into DDL, so only plain lower-case identifiers are accepted. */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  return schema;
}
