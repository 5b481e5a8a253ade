import { createKafka, topicNames } from '@flagpole/kafka';
import pino from 'pino';
import { testKafkaSettings } from '../../../test/support/kafka-topics';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { uniqueName } from '../../../test/support/unique-name';
import { rebuildReadModel } from '../src/rebuild/rebuild-read-model';
import { generateHistory, publishEvents } from './support/event-log';
import { ProjectorProcess } from './support/projector-process';
import { checksumOf, sql, verifyStored } from './support/read-model-db';

// Ten kills, each waiting for a fresh process to start and make progress: allow for it.
jest.setTimeout(240_000);

const EVENTS = 20_000;
const KILLS = 10;

describe('kill -9 in the middle of a replay', () => {
  const prefix = uniqueName('fpkill');
  const kafka = createKafka(testKafkaSettings(prefix));
  let live: TestDatabase;
  let clean: TestDatabase;
  let current: ProjectorProcess | undefined;

  beforeAll(async () => {
    [live, clean] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await publishEvents(kafka, prefix, generateHistory(EVENTS, { seed: 99, flags: 800 }), 1000);
  });

  afterAll(async () => {
    await current?.kill();
    await Promise.all([live?.drop(), clean?.drop()]);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topicNames(prefix).events] }).catch(() => undefined);
    await admin.disconnect();
  });

  const head = async (): Promise<number> => {
    const rows = await sql<{ last_sequence: string }>(live.url, 'SELECT last_sequence FROM read_model.projection_head WHERE id = 1').catch(() => []);
    return rows[0] ? Number(rows[0].last_sequence) : 0;
  };
  const startProjector = () =>
    ProjectorProcess.start({
      KAFKA_BROKERS: testKafkaSettings(prefix).brokers.join(','),
      FLAGPOLE_TOPIC_PREFIX: prefix,
      DATABASE_URL: live.url,
      // Small batches: many commits, so the kills land between and inside transactions.
      FLAGPOLE_PROJECTOR_MAX_BATCH: '400',
    });

  it(`is killed ${KILLS} times while replaying ${EVENTS.toLocaleString('en')} events, then finishes with the checksum of a clean rebuild`, async () => {
    const reference = await rebuildReadModel({ kafka, topic: topicNames(prefix).events, databaseUrl: clean.url, logger: pino({ level: 'silent' }) });
    expect(reference.events).toBe(EVENTS);

    const killedAt: number[] = [];
    for (let kill = 1; kill <= KILLS; kill++) {
      // Spread over the replay: each process gets a stretch of the log, and is killed as soon as
      // it has committed past its mark, with the next batches being built, copied and committed.
      const mark = Math.round((kill * EVENTS) / (KILLS + 1));
      current = startProjector();
      const deadline = Date.now() + 60_000;
      while ((await head()) < mark) {
        if (!current.running || Date.now() > deadline) throw new Error(`projector ${kill} did not reach ${mark}:\n${current.log}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      await current.kill('SIGKILL');
      killedAt.push(await head());
    }
    // Every kill hit a replay in progress, each further along the log than the one before.
    expect(killedAt.every((sequence, i) => sequence < EVENTS && sequence >= Math.round(((i + 1) * EVENTS) / (KILLS + 1)))).toBe(true);
    expect([...killedAt].sort((a, b) => a - b)).toEqual(killedAt);

    current = startProjector();
    const deadline = Date.now() + 90_000;
    while ((await head()) < EVENTS) {
      if (!current.running || Date.now() > deadline) throw new Error(`the last projector did not finish:\n${current.log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await current.kill('SIGTERM');

    const after = await checksumOf(live.url);
    expect(after.tables.audit_trail.rows).toBe(EVENTS);
    expect(after).toEqual(reference.checksum);
    expect((await verifyStored(live.url)).ok).toBe(true);
  });
});
