import { Client } from 'pg';
import { MigrationExecutor, type DataSource } from 'typeorm';
import {
  approvalsBehind,
  auditPage,
  auditPages,
  ChecksumBuilder,
  checksumRow,
  canonicalJson,
  computeReadModelChecksum,
  csvRow,
  environmentAsOf,
  flagAsOf,
  flagHistory,
  jsonbKeyOrder,
  jsonLine,
  migrateReadModel,
  readModelDataSource,
} from '@flagpole/read-model';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { ProjectionState } from '../src/projection/projection-state';
import { ReadModelStore } from '../src/projection/read-model-store';
import { incomingEvent, type IncomingEvent } from '../src/projection/sequencer';
import { generateHistory } from './support/event-log';

/**
 * The audit trail's payload and diff moved from jsonb to json (migration AuditJsonColumns). What
 * readers get must not change by a byte: the same history projected into a schema with the old
 * jsonb columns and into one with json columns answers the export, history, as-of and checksum
 * identically — and so does the old schema after the migration converted it.
 */
describe('audit payload and diff as json', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];
  const history = generateHistory(1500, { seed: 7, flags: 40 });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy().catch(() => undefined)));
    await db?.drop();
  });

  const project = async (schema: string, jsonb: boolean): Promise<DataSource> => {
    const dataSource = readModelDataSource(db.url, { schema, poolSize: 2 });
    sources.push(dataSource);
    await dataSource.initialize();
    await migrateReadModel(dataSource);
    if (jsonb) {
      const runner = dataSource.createQueryRunner('master');
      await new MigrationExecutor(dataSource, runner).undoLastMigration();
      await runner.release();
    }
    const store = new ReadModelStore(dataSource, 'audit-json.events');
    const state = new ProjectionState(new Map());
    let head = { sequence: 0, hash: (await store.load()).head.hash };
    for (let i = 0; i < history.length; i += 400) {
      const events: IncomingEvent[] = history.slice(i, i + 400).map((event) => incomingEvent(0, String(event.sequence - 1), event));
      const { batch, failure } = state.build(events, head);
      if (!batch || failure) throw new Error(`could not project the history: ${failure?.error.message}`);
      await store.write(batch, { '0': String(batch.to.sequence) });
      state.commit(batch);
      head = batch.to;
    }
    await store.close();
    return dataSource;
  };

  /** Everything a reader can get out of the audit trail, serialised as the HTTP layer would. */
  const answers = async (dataSource: DataSource): Promise<string[]> => {
    const m = dataSource.manager;
    const out: string[] = [(await computeReadModelChecksum(dataSource)).checksum];
    for await (const page of auditPages(m, {}, { upTo: history.length })) for (const entry of page) out.push(jsonLine(entry), csvRow(entry), JSON.stringify(entry));
    for (const key of ['flag-1', 'flag-7', 'flag-23']) {
      out.push(JSON.stringify(await flagHistory(m, key, undefined, 500)));
      for (const sequence of [200, 900, history.length]) out.push(JSON.stringify(await flagAsOf(m, key, { sequence })));
    }
    out.push(JSON.stringify(await environmentAsOf(m, 'production', { sequence: 1000 })));
    out.push(JSON.stringify([...(await approvalsBehind(m, ['none']))]));
    return out;
  };

  it('answers byte for byte as the jsonb columns did, before and after the migration', async () => {
    const jsonb = await project('audit_jsonb', true);
    const types = (await jsonb.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'audit_jsonb' AND table_name = 'audit_trail' AND column_name IN ('payload', 'diff') ORDER BY 1`)) as { data_type: string }[];
    expect(types.map((t) => t.data_type)).toEqual(['jsonb', 'jsonb']);
    const json = await project('audit_json', false);
    const expected = await answers(jsonb);
    const got = await answers(json);
    expect(got.length).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) if (got[i] !== expected[i]) expect(got[i]).toBe(expected[i]);

    expect(await migrateReadModel(jsonb)).toEqual(['AuditJsonColumns1764300000000']);
    const converted = await answers(jsonb);
    for (let i = 0; i < expected.length; i++) if (converted[i] !== expected[i]) expect(converted[i]).toBe(expected[i]);
  });

  it('the checksum, reading audit rows as text, hashes exactly what the entity path hashed', async () => {
    for (const schema of ['audit_json', 'audit_jsonb']) {
      const dataSource = sources.find((s) => (s.options as { schema?: string }).schema === schema)!;
      const builder = new ChecksumBuilder().beginTable('audit_trail');
      for (let after = 0; ; ) {
        const page = await auditPage(dataSource.manager, after, 500, true);
        for (const row of page) builder.addRow(row.sequence, checksumRow.audit(row));
        if (page.length < 500) break;
        after = page[page.length - 1]!.sequence;
      }
      builder.endTable();
      const entityPath = (builder as unknown as { results: Map<string, unknown> }).results.get('audit_trail');
      expect((await computeReadModelChecksum(dataSource)).tables.audit_trail).toEqual(entityPath);
    }
  });

  it('puts members in the order jsonb keeps them, whatever the text held', async () => {
    const texts = [
      '{"zz":1,"a":2,"bbb":{"y":[{"b":1,"a":2}],"x":null},"10":3,"2":4,"é":5,"z":6,"\u{1F600}":7,"\uffff":8,"__proto__":{"k":1}}',
      '{"dup":1,"dup":2,"num":[1.0,1e2,-0,0.1,12345678901234567890,1.5e-7],"s":"tab\\t nl\\n quote\\" back\\\\ \\u2028"}',
      '[{"ab":1,"b":2},[],{},"x",true,false,null]',
      '{"":1,"A":2,"a":3,"aa":4,"Z":5}',
    ];
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      for (const text of texts) {
        const { rows } = await client.query<{ j: unknown; b: unknown }>('SELECT $1::json AS j, $1::jsonb AS b', [text]);
        const [{ j, b }] = rows as [{ j: unknown; b: unknown }];
        expect(JSON.stringify(jsonbKeyOrder(j))).toBe(JSON.stringify(b));
        expect(canonicalJson(j)).toBe(canonicalJson(b));
      }
    } finally {
      await client.end();
    }
  });
});
