import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { migrateReadModel, readModelDataSource } from '../src';

describe('read-model migrations and entities', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('the entities describe exactly the tables the migrations create (TypeORM would change nothing)', async () => {
    const dataSource = readModelDataSource(db.url, { schema: 'read_model', poolSize: 1 });
    await dataSource.initialize();
    try {
      expect(await migrateReadModel(dataSource)).toEqual(['ReadModel1764000000000', 'Approvals1764100000000', 'AuditQueryIndexes1764200000000', 'AuditJsonColumns1764300000000']);
      expect(await migrateReadModel(dataSource)).toEqual([]);
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('builds the same tables in any schema, which is how a rebuild gets fresh ones', async () => {
    const dataSource = readModelDataSource(db.url, { schema: 'rebuild_test', poolSize: 1 });
    await dataSource.initialize();
    try {
      await migrateReadModel(dataSource);
      const tables = (await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'rebuild_test' ORDER BY 1`)) as { table_name: string }[];
      expect(tables.map((t) => t.table_name)).toEqual([
        'approval_policies',
        'audit_trail',
        'change_requests',
        'environments',
        'flag_environments',
        'flags',
        'projection_head',
        'projection_position',
        'read_model_migrations',
        'segments',
        'tokens',
      ]);
    } finally {
      await dataSource.destroy();
    }
  });
});
