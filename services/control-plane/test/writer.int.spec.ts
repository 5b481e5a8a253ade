import { checkChainLink, GENESIS_HASH, type EventEnvelope } from '@flagpole/domain';
import { createKafka } from '@flagpole/kafka';
import { apiClient } from '../../../test/support/api-client';
import { startControlPlane, waitUntil, type RunningControlPlane } from '../../../test/support/control-plane.harness';
import { readEvents, readFlagState, testKafkaSettings } from '../../../test/support/kafka-topics';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { uniqueName } from '../../../test/support/unique-name';

function expectUnbrokenChain(events: readonly EventEnvelope[]): void {
  let head = { sequence: 0, hash: GENESIS_HASH };
  for (const event of events) {
    expect(checkChainLink(head.sequence, head.hash, event)).toBeUndefined();
    head = { sequence: event.sequence, hash: event.hash };
  }
}

describe('the fenced transactional writer against a real broker', () => {
  const databases: TestDatabase[] = [];
  const running: RunningControlPlane[] = [];
  const db = async () => {
    const created = await createTestDatabase();
    databases.push(created);
    return created.url;
  };
  const start = async (options: Parameters<typeof startControlPlane>[0]) => {
    const cp = await startControlPlane(options);
    running.push(cp);
    return cp;
  };

  afterEach(async () => {
    await Promise.all(running.splice(0).map((cp) => cp.stop().catch(() => undefined)));
  });
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
  });

  it('a restarted writer rebuilds the same state and continues the sequence and hash chain', async () => {
    const topicPrefix = uniqueName('fpint');
    const databaseUrl = await db();
    const adminToken = `fp_${uniqueName('t')}`;
    const first = await start({ databaseUrl, topicPrefix, adminToken });
    const api1 = apiClient(first.url, adminToken);
    await api1('POST', '/api/environments', { key: 'production', name: 'Production' });
    await api1('POST', '/api/flags', { key: 'f', name: 'F' });
    await api1('POST', '/api/flags/f/environments/production/toggle', { on: true });
    await first.stop();
    running.length = 0;

    const second = await start({ databaseUrl, topicPrefix, adminToken });
    const api2 = apiClient(second.url, adminToken);
    // The rebuilt state knows the flag's version and that the environment exists.
    const stale = await api2('POST', '/api/flags/f/environments/production/toggle', { on: false }, { 'If-Match': '"1"' });
    expect(stale.body).toMatchObject({ currentVersion: 2 });
    const next = await api2('POST', '/api/flags/f/environments/production/toggle', { on: false }, { 'If-Match': '"2"' });
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ version: 3 });

    const events = await readEvents(topicPrefix);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expectUnbrokenChain(events);
  });

  it('a second writer with the same transactional id fences the first, which then refuses commands', async () => {
    const topicPrefix = uniqueName('fpint');
    const adminToken = `fp_${uniqueName('t')}`;
    // Separate databases give each its own lease, so both believe they lead: only fencing saves the log.
    const older = await start({ databaseUrl: await db(), topicPrefix, adminToken });
    const olderApi = apiClient(older.url, adminToken);
    await olderApi('POST', '/api/environments', { key: 'production', name: 'Production' });
    await olderApi('POST', '/api/flags', { key: 'f', name: 'F' });

    const newer = await start({ databaseUrl: await db(), topicPrefix, adminToken });
    const refused = await olderApi('POST', '/api/flags/f/environments/production/toggle', { on: true });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'fenced' });
    expect(refused.headers.get('retry-after')).not.toBeNull();
    // And it keeps refusing, rather than trying again with its stale state.
    expect((await olderApi('POST', '/api/flags', { key: 'g', name: 'G' })).status).toBe(503);

    const accepted = await apiClient(newer.url, adminToken)('POST', '/api/flags/f/environments/production/toggle', { on: true });
    expect(accepted.status).toBe(200);
    const events = await readEvents(topicPrefix);
    expect(events.filter((e) => e.aggregateId === 'flag:g')).toHaveLength(0);
    expect(events.filter((e) => e.type === 'FlagToggled')).toHaveLength(1);
    expectUnbrokenChain(events);
  });

  it('an aborted transaction leaves nothing visible, answers 503, and the writer recovers by itself', async () => {
    const topicPrefix = uniqueName('fpint');
    const adminToken = `fp_${uniqueName('t')}`;
    const cp = await start({ databaseUrl: await db(), topicPrefix, adminToken, commandTimeoutMs: 3000 });
    const api = apiClient(cp.url, adminToken);
    await api('POST', '/api/environments', { key: 'production', name: 'Production' });
    await api('POST', '/api/flags', { key: 'f', name: 'F' });
    const before = await readEvents(topicPrefix);

    // Pull the state topic away under the writer: the events half of the next transaction
    // reaches the broker, the state half cannot, so the transaction must abort whole.
    const admin = createKafka(testKafkaSettings(topicPrefix)).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [`${topicPrefix}.flags.production`] });
    await admin.disconnect();

    const failed = await api('POST', '/api/flags/f/environments/production/toggle', { on: true });
    expect(failed.status).toBe(503);
    expect(await readEvents(topicPrefix)).toEqual(before);

    await waitUntil(async () => (await api('POST', '/api/flags/f/environments/production/toggle', { on: true })).status === 200, 60_000, 'writer recovered');
    const after = await readEvents(topicPrefix);
    expect(after.filter((e) => e.type === 'FlagToggled')).toHaveLength(1);
    expectUnbrokenChain(after);
    const state = await readFlagState(topicPrefix, 'production');
    expect(state.get('flag/f')?.value).toMatchObject({ version: 2 });
  });

  it('with two instances exactly one writes; the other answers 503 with Retry-After and takes over when the leader dies', async () => {
    const topicPrefix = uniqueName('fpint');
    const databaseUrl = await db();
    const adminToken = `fp_${uniqueName('t')}`;
    const leader = await start({ databaseUrl, topicPrefix, adminToken });
    const follower = await start({ databaseUrl, topicPrefix, adminToken, waitForWriter: false });
    const leaderApi = apiClient(leader.url, adminToken);
    const followerApi = apiClient(follower.url, adminToken);
    await leaderApi('POST', '/api/environments', { key: 'production', name: 'Production' });

    await waitUntil(async () => (await followerApi('POST', '/api/flags', { key: 'x', name: 'X' })).status === 503, 30_000, 'follower authenticates and refuses');
    const refused = await followerApi('POST', '/api/flags', { key: 'x', name: 'X' });
    expect(refused.body).toMatchObject({ error: 'not_leader' });
    expect(refused.headers.get('retry-after')).toBe('1');

    await leader.stop();
    await waitUntil(async () => (await followerApi('POST', '/api/flags', { key: 'x', name: 'X' })).status === 201, 30_000, 'follower took over');
    const events = await readEvents(topicPrefix);
    expect(events.filter((e) => e.aggregateId === 'flag:x')).toHaveLength(1);
    expectUnbrokenChain(events);
  });
});
