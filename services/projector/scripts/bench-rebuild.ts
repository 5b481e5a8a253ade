/**
 * Rebuild throughput: writes N events (default 100,000) to a fresh events topic the way the
 * writer does (transactions, keyed by aggregate, valid hash chain), then replays them into a
 * fresh read-model schema with the rebuild command's code (BENCH_RUNS times, default 3), then
 * once with the live projector's settings, and prints events/s.
 *
 *   node -r ./services/projector/scripts/register-ts.cjs services/projector/scripts/bench-rebuild.ts [events]
 *
 * Needs Kafka and Postgres up (npm run infra:up). Cleans up its database and topic.
 */
import { createKafka, kafkaSettingsFromEnv, topicNames } from '@flagpole/kafka';
import pino from 'pino';
import { createTestDatabase } from '../../../test/support/test-database';
import { uniqueName } from '../../../test/support/unique-name';
import { migrateReadModel, readModelDataSource } from '@flagpole/read-model';
import { ProjectionPipeline } from '../src/projection/projection-pipeline';
import { ReadModelStore } from '../src/projection/read-model-store';
import { rebuildReadModel } from '../src/rebuild/rebuild-read-model';
import { generateHistory, publishEvents } from '../test/support/event-log';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const prefix = uniqueName('fpbench');
  const kafka = createKafka({ ...kafkaSettingsFromEnv(process.env, 'flagpole-bench'), topicPrefix: prefix });
  const db = await createTestDatabase();
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  try {
    let t = performance.now();
    const events = generateHistory(count, { seed: 7 });
    const generateSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    await publishEvents(kafka, prefix, events, 1000);
    const publishSeconds = (performance.now() - t) / 1000;
    const bytes = events.reduce((n, e) => n + JSON.stringify(e).length, 0);
    console.log(`generated ${events.length} events (${Math.round(bytes / events.length)} bytes on average) in ${generateSeconds.toFixed(1)} s, published in ${publishSeconds.toFixed(1)} s`);
    const runs = Number(process.env.BENCH_RUNS ?? 3);
    for (let run = 1; run <= runs; run++) {
      const writes = { batches: 0, events: 0, seconds: 0 };
      const observer = {
        applied: (batch: { events: readonly unknown[] }, seconds: number) => {
          writes.batches += 1;
          writes.events += batch.events.length;
          writes.seconds += seconds;
        },
      };
      const result = await rebuildReadModel({ kafka, topic: topicNames(prefix).events, databaseUrl: db.url, logger, observer });
      console.log(`  ${writes.batches} Postgres transactions, ${Math.round(writes.events / writes.batches)} events each on average, ${writes.seconds.toFixed(2)} s writing`);
      console.log(
        `run ${run}: replayed ${result.events} events in ${result.replaySeconds.toFixed(2)} s = ${result.eventsPerSecond} events/s ` +
          `(total with migrations, checksum and swap ${result.totalSeconds.toFixed(2)} s); checksum ${result.checksum.checksum}`,
      );
    }
    // The live projector catching up on the same log (its own settings: 5,000-event batches,
    // durable commits, secondary indexes maintained row by row).
    const dataSource = readModelDataSource(db.url, { schema: 'live_catch_up' });
    await dataSource.initialize();
    await migrateReadModel(dataSource);
    const t0 = performance.now();
    const live = new ProjectionPipeline({ kafka, topic: topicNames(prefix).events, store: new ReadModelStore(dataSource, topicNames(prefix).events), logger, groupIdPrefix: `${prefix}.bench` });
    await live.start();
    await live.caughtUp;
    const liveSeconds = (performance.now() - t0) / 1000;
    await live.stop();
    await dataSource.destroy();
    console.log(`live projector catching up: ${events.length} events in ${liveSeconds.toFixed(2)} s = ${Math.round(events.length / liveSeconds)} events/s`);
  } finally {
    await db.drop();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topicNames(prefix).events] }).catch(() => undefined);
    await admin.disconnect();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
