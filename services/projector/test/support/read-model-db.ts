import { Client } from 'pg';
import { computeReadModelChecksum, READ_MODEL_SCHEMA, readModelDataSource, verifyStoredAuditTrail, type ChainVerification, type ReadModelChecksum } from '@flagpole/read-model';

/** The checksum of a read-model schema as stored right now. */
export async function checksumOf(databaseUrl: string, schema = READ_MODEL_SCHEMA): Promise<ReadModelChecksum> {
  const dataSource = readModelDataSource(databaseUrl, { schema, poolSize: 1 });
  await dataSource.initialize();
  try {
    return await computeReadModelChecksum(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

export async function verifyStored(databaseUrl: string, schema = READ_MODEL_SCHEMA): Promise<ChainVerification> {
  const dataSource = readModelDataSource(databaseUrl, { schema, poolSize: 1 });
  await dataSource.initialize();
  try {
    return await verifyStoredAuditTrail(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Plain SQL against the test database (tampering, inspecting). */
export async function sql<R = Record<string, unknown>>(databaseUrl: string, text: string, params: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Runs statements with triggers off (session_replication_role = replica): how someone with superuser rights would edit the audit trail. */
export async function tamper(databaseUrl: string, ...statements: string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}
