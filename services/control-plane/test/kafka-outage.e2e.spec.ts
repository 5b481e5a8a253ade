import { apiClient } from '../../../test/support/api-client';
import { startControlPlane, waitUntil, type RunningControlPlane } from '../../../test/support/control-plane.harness';
import { DedicatedBroker } from '../../../test/support/dedicated-broker';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { createKafka, decodeEvent, TopicReader } from '@flagpole/kafka';
import type { EventEnvelope } from '@flagpole/domain';

describe('Kafka stopped: 503 within bounded time, nothing written, and commands succeed again after it returns', () => {
  let broker: DedicatedBroker;
  let db: TestDatabase;
  let cp: RunningControlPlane;

  beforeAll(async () => {
    broker = await DedicatedBroker.create();
    await broker.start();
    db = await createTestDatabase();
    cp = await startControlPlane({ databaseUrl: db.url, brokers: broker.brokers, commandTimeoutMs: 3000 });
  }, 240_000);
  afterAll(async () => {
    await cp?.stop();
    await db?.drop();
    await broker?.destroy();
  }, 120_000);

  async function events(): Promise<EventEnvelope[]> {
    const kafka = createKafka({ brokers: broker.brokers, clientId: 'outage-test', topicPrefix: cp.config.kafka.topicPrefix });
    const found: EventEnvelope[] = [];
    const reader = new TopicReader({ kafka, topic: `${cp.config.kafka.topicPrefix}.events`, tail: false, onRecord: (r) => void found.push(decodeEvent(r.message)) });
    await reader.start();
    // Events are spread over partitions by aggregate; the sequence gives the global order.
    return found.sort((a, b) => a.sequence - b.sequence);
  }

  it('answers 503 while the broker is down and recovers by itself', async () => {
    const api = apiClient(cp.url, cp.adminToken);
    expect((await api('POST', '/api/environments', { key: 'production', name: 'Production' })).status).toBe(201);
    expect((await api('POST', '/api/flags', { key: 'f', name: 'F' })).status).toBe(201);

    await broker.stop();
    const started = Date.now();
    const refused = await api('POST', '/api/flags/f/environments/production/toggle', { on: true });
    const elapsed = Date.now() - started;
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'kafka_unavailable' });
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect(elapsed).toBeLessThan(8000);
    // While it is down, further commands are refused at once instead of piling up.
    const again = Date.now();
    expect((await api('POST', '/api/flags', { key: 'g', name: 'G' })).status).toBe(503);
    expect(Date.now() - again).toBeLessThan(1000);
    const health = await api<{ checks: { kafka: boolean } }>('GET', '/health/ready');
    expect(health.status).toBe(503);

    await broker.start();
    await waitUntil(async () => (await api('POST', '/api/flags', { key: 'after', name: 'After' })).status === 201, 90_000, 'writer recovered');

    const log = await events();
    expect(log.map((e) => e.type)).toEqual(['TokenIssued', 'EnvironmentCreated', 'FlagCreated', 'FlagCreated']);
    expect(log.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    expect(log.some((e) => e.aggregateId === 'flag:g')).toBe(false);
  });
});
