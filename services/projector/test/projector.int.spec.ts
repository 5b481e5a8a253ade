import { computeEventHash, type EventEnvelope } from '@flagpole/domain';
import { createKafka, encodeEvent, topicNames } from '@flagpole/kafka';
import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { waitUntil } from '../../../test/support/control-plane.harness';
import { testKafkaSettings } from '../../../test/support/kafka-topics';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { uniqueName } from '../../../test/support/unique-name';
import { rebuildReadModel } from '../src/rebuild/rebuild-read-model';
import { generateHistory, publishEvents, publishMessages } from './support/event-log';
import { metric, startProjector, waitForSequence, type RunningProjector } from './support/projector.harness';
import { checksumOf, sql, tamper, verifyStored } from './support/read-model-db';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe('the projector against a real broker and database', () => {
  const prefixes: string[] = [];
  const databases: TestDatabase[] = [];
  const running: RunningProjector[] = [];
  // A history longer than what is published first, so a later part can continue the same chain.
  const history = generateHistory(3300, { seed: 21, flags: 150 });
  const first = history.slice(0, 3000);
  let prefix: string;
  let kafka: Kafka;
  let db: TestDatabase;

  const newPrefix = () => {
    const p = uniqueName('fpproj');
    prefixes.push(p);
    return p;
  };
  const newDatabase = async () => {
    const d = await createTestDatabase();
    databases.push(d);
    return d;
  };
  const start = async (options: Parameters<typeof startProjector>[0]) => {
    const projector = await startProjector(options);
    running.push(projector);
    return projector;
  };
  const stop = async (projector: RunningProjector) => {
    running.splice(running.indexOf(projector), 1);
    await projector.stop();
  };
  const rebuild = (options: { swap: boolean; topicPrefix?: string; databaseUrl?: string }) =>
    rebuildReadModel({ kafka, topic: topicNames(options.topicPrefix ?? prefix).events, databaseUrl: options.databaseUrl ?? db.url, logger, swap: options.swap });

  beforeAll(async () => {
    prefix = newPrefix();
    kafka = createKafka(testKafkaSettings(prefix));
    db = await newDatabase();
    await publishEvents(kafka, prefix, first, 250);
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop().catch(() => undefined)));
    await Promise.all(databases.map((d) => d.drop()));
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: prefixes.map((p) => topicNames(p).events) }).catch(() => undefined);
    await admin.disconnect();
  });

  it('projects the log; the same events again, and a restart from older offsets, change nothing', async () => {
    const projector = await start({ databaseUrl: db.url, topicPrefix: prefix });
    await waitForSequence(projector, 3000);
    const projected = await checksumOf(db.url);
    expect(projected.tables.audit_trail.rows).toBe(3000);
    expect((await verifyStored(db.url)).ok).toBe(true);

    // At-least-once delivery: 500 events appended again (a producer retry, a replayed batch).
    await publishEvents(kafka, prefix, first.slice(1000, 1500), 250);
    await waitUntil(async () => (await metric(projector, 'flagpole_projector_duplicate_events_total')) >= 500, 30_000, 'the redelivered events read');
    expect(await checksumOf(db.url)).toEqual(projected);
    await stop(projector);

    // A restart that reads everything again from offset 0, with a buffer small enough that the
    // partitions running ahead get paused and resumed along the way.
    await sql(db.url, `UPDATE read_model.projection_head SET partition_offsets = '{}'`);
    const restarted = await start({ databaseUrl: db.url, topicPrefix: prefix, maxBuffered: 64 });
    await waitUntil(async () => (await metric(restarted, 'flagpole_projector_duplicate_events_total')) >= 3500, 60_000, 'the whole log read again');
    await waitUntil(() => restarted.runtime.snapshot()?.caughtUp === true, 30_000, 'caught up');
    expect(await checksumOf(db.url)).toEqual(projected);
    expect(restarted.runtime.snapshot()).toMatchObject({ status: 'live', appliedSequence: 3000, buffered: 0, anomalies: [] });

    // A rebuild into fresh tables reproduces the live projection exactly.
    const rebuilt = await rebuild({ swap: false });
    expect(rebuilt.checksum).toEqual(projected);
    await sql(db.url, `DROP SCHEMA ${rebuilt.schema} CASCADE`);

    // Small batches: the rebuild's buffer (4 batches) fills, partitions pause and read again as
    // commits free room; the pump reports where it stood idle, and the result is the same.
    const waits = new Map<string, number>();
    let batches = 0;
    const small = await rebuildReadModel({
      kafka,
      topic: topicNames(prefix).events,
      databaseUrl: db.url,
      logger,
      swap: false,
      maxBatch: 200,
      observer: {
        applied: (batch) => {
          batches += 1;
          expect(batch.events.length).toBeLessThanOrEqual(200);
        },
        waited: (on, seconds) => waits.set(on, (waits.get(on) ?? 0) + seconds),
      },
    });
    expect(small.checksum).toEqual(projected);
    expect(batches).toBeGreaterThanOrEqual(15);
    expect([...waits.keys()].every((on) => ['postgres', 'checker', 'fetch'].includes(on))).toBe(true);
    expect([...waits.values()].every((s) => s >= 0)).toBe(true);
    await sql(db.url, `DROP SCHEMA ${small.schema} CASCADE`);
  });

  it('two projectors on one database race batch by batch and still write every event exactly once', async () => {
    const shared = await newDatabase();
    const [a, b] = await Promise.all([start({ databaseUrl: shared.url, topicPrefix: prefix }), start({ databaseUrl: shared.url, topicPrefix: prefix })]);
    await Promise.all([waitForSequence(a!, 3000), waitForSequence(b!, 3000)]);
    expect(await checksumOf(shared.url)).toEqual(await checksumOf(db.url));
    await Promise.all([stop(a!), stop(b!)]);
  });

  it('reports readiness, applied sequence and lag on /health/ready and /metrics', async () => {
    const projector = running[0] ?? (await start({ databaseUrl: db.url, topicPrefix: prefix }));
    await waitUntil(async () => (await fetch(`${projector.url}/health/ready`)).status === 200, 30_000, 'ready');
    const ready = (await (await fetch(`${projector.url}/health/ready`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ status: 'ready', checks: { kafka: true, postgres: true, projection: 'live' }, projection: { appliedSequence: 3000, lagRecords: 0 } });
    expect(await metric(projector, 'flagpole_projector_applied_sequence')).toBe(3000);
    expect(await metric(projector, 'flagpole_projector_lag_records')).toBe(0);
    expect(await metric(projector, 'flagpole_projector_status', 'status="live"')).toBe(1);
  });

  it('a rebuild swaps fresh tables in under the running projector, which carries on with them', async () => {
    const projector = running[0]!;
    const live = await checksumOf(db.url);
    const result = await rebuild({ swap: true });
    expect(result).toMatchObject({ swapped: true, schema: 'read_model', sequence: 3000, events: 3000 });
    expect(result.checksum).toEqual(live);
    expect(await checksumOf(db.url)).toEqual(live);
    const schemas = await sql<{ nspname: string }>(db.url, `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild_%' OR nspname LIKE 'read_model_old_%'`);
    expect(schemas).toEqual([]);

    // The projector's next batch lands in the swapped-in tables and continues the chain there.
    await publishEvents(kafka, prefix, history.slice(3000), 100);
    await waitForSequence(projector, 3300);
    const after = await checksumOf(db.url);
    expect(after.tables.audit_trail.rows).toBe(3300);
    expect((await verifyStored(db.url)).ok).toBe(true);
    const fresh = await rebuild({ swap: false });
    expect(fresh.checksum).toEqual(after);
    await sql(db.url, `DROP SCHEMA ${fresh.schema} CASCADE`);
  });

  it('verify names an audit row edited or deleted in Postgres; the application itself cannot edit it', async () => {
    await expect(sql(db.url, 'UPDATE read_model.audit_trail SET reason = $1 WHERE sequence = 1234', ['edited'])).rejects.toThrow('append-only');
    await expect(sql(db.url, 'DELETE FROM read_model.audit_trail WHERE sequence = 1234')).rejects.toThrow('append-only');

    const [row] = await sql<{ actor_name: string }>(db.url, 'SELECT actor_name FROM read_model.audit_trail WHERE sequence = 1234');
    await tamper(db.url, `UPDATE read_model.audit_trail SET actor_name = 'Mallory' WHERE sequence = 1234`);
    expect((await verifyStored(db.url)).problem).toMatchObject({ kind: 'edited', sequence: 1234, field: 'actor_name', found: 'Mallory' });

    await tamper(db.url, `UPDATE read_model.audit_trail SET actor_name = '${row!.actor_name.replace(/'/g, "''")}' WHERE sequence = 1234`);
    await tamper(db.url, `UPDATE read_model.audit_trail SET payload = jsonb_set(payload::jsonb, '{reason}', '"covered up"') WHERE sequence = 1500`);
    expect((await verifyStored(db.url)).problem).toMatchObject({ kind: 'edited', sequence: 1500, field: 'hash' });

    await tamper(db.url, `UPDATE read_model.audit_trail SET payload = jsonb_set(payload::jsonb, '{reason}', COALESCE(to_jsonb(reason), 'null'::jsonb)) WHERE sequence = 1500`);
    expect((await verifyStored(db.url)).ok).toBe(true);
    await tamper(db.url, 'DELETE FROM read_model.audit_trail WHERE sequence = 2000');
    const verdict = await verifyStored(db.url);
    expect(verdict.problem).toMatchObject({ kind: 'missing', sequence: 2000, expected: 2000, found: 2001 });
    expect(verdict.checked).toBe(1999);
  });

  it('refuses an event whose hash does not chain, and says so on /health/ready and /metrics', async () => {
    const brokenPrefix = newPrefix();
    const events = generateHistory(120, { seed: 8, flags: 20 });
    const edited = { ...events[79]!, reason: 'rewritten history' } as EventEnvelope; // sequence 80, hash left as it was
    expect(computeEventHash(edited)).not.toBe(edited.hash);
    await publishMessages(kafka, brokenPrefix, events.map((e, i) => encodeEvent(i === 79 ? edited : e)), 40);
    const brokenDb = await newDatabase();
    const projector = await start({ databaseUrl: brokenDb.url, topicPrefix: brokenPrefix });
    await waitUntil(() => projector.runtime.snapshot()?.status === 'refused', 30_000, 'the projector refuses');

    const response = await fetch(`${projector.url}/health/ready`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { projection: Record<string, unknown> };
    expect(body.projection).toMatchObject({
      status: 'refused',
      appliedSequence: 79,
      refusal: { kind: 'hash_mismatch', sequence: 80, eventId: edited.id, found: edited.hash, expected: computeEventHash(edited) },
    });
    expect(await metric(projector, 'flagpole_projector_refusals_total', 'kind="hash_mismatch"')).toBe(1);
    expect(await metric(projector, 'flagpole_projector_status', 'status="refused"')).toBe(1);
    // Nothing from the broken event on is applied; what is applied verifies.
    expect((await checksumOf(brokenDb.url)).tables.audit_trail.rows).toBe(79);
    expect((await verifyStored(brokenDb.url)).ok).toBe(true);
    // A rebuild refuses at the same place instead of producing a read model past it.
    await expect(rebuild({ swap: false, topicPrefix: brokenPrefix, databaseUrl: brokenDb.url })).rejects.toThrow('rebuild stopped at sequence 79');
  });

  it('reports a gap no partition can fill as a stall, and goes on once the event turns up', async () => {
    const gapPrefix = newPrefix();
    const events = generateHistory(60, { seed: 9, flags: 10 });
    await publishEvents(kafka, gapPrefix, events.filter((e) => e.sequence !== 40), 20);
    const gapDb = await newDatabase();
    const projector = await start({ databaseUrl: gapDb.url, topicPrefix: gapPrefix, stallAfterMs: 500 });
    await waitUntil(() => projector.runtime.snapshot()?.status === 'stalled', 30_000, 'the projector reports a stall');
    expect(projector.runtime.snapshot()).toMatchObject({ appliedSequence: 39, buffered: 20, stall: { missingSequence: 40 } });
    expect((await fetch(`${projector.url}/health/ready`)).status).toBe(503);

    await publishEvents(kafka, gapPrefix, [events[39]!]);
    await waitForSequence(projector, 60);
    await waitUntil(() => projector.runtime.snapshot()?.status === 'live', 10_000, 'live again');
    expect((await verifyStored(gapDb.url)).ok).toBe(true);
  });
});
