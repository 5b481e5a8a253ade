import { checkChainLink, GENESIS_HASH, type FlagStateRecord } from '@flagpole/domain';
import { apiClient } from '../../../test/support/api-client';
import { startControlPlane, type RunningControlPlane } from '../../../test/support/control-plane.harness';
import { readEvents, readFlagState } from '../../../test/support/kafka-topics';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

describe('flag lifecycle over HTTP, checked in both Kafka topics', () => {
  let db: TestDatabase;
  let cp: RunningControlPlane;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    db = await createTestDatabase();
    cp = await startControlPlane({ databaseUrl: db.url });
    api = apiClient(cp.url, cp.adminToken);
  });
  afterAll(async () => {
    await cp?.stop();
    await db?.drop();
  });

  it('creates, configures, toggles and archives a flag; the log and the compacted state agree', async () => {
    const prefix = cp.config.kafka.topicPrefix;
    expect((await api('POST', '/api/environments', { key: 'production', name: 'Production', production: true })).status).toBe(201);

    const created = await api('POST', '/api/flags', { key: 'new-checkout', name: 'New checkout', tags: ['checkout'], reason: 'JIRA-1' });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ id: 'flag:new-checkout', version: 1 });

    const config = {
      on: true,
      offVariant: 'off',
      rules: [{ id: 'us', condition: { attribute: 'country', operator: 'in', values: ['US'] }, serve: { variant: 'on' } }],
      fallthrough: { variant: 'off' },
    };
    const configured = await api('PUT', '/api/flags/new-checkout/environments/production', config, { 'If-Match': '"1"' });
    expect(configured.status).toBe(200);
    expect(configured.headers.get('etag')).toBe('"2"');

    const toggled = await api('POST', '/api/flags/new-checkout/environments/production/toggle', { on: false });
    expect(toggled.status).toBe(200);
    expect(toggled.body).toMatchObject({ version: 3 });

    // While live, the compacted topic holds the flag as production evaluates it.
    const live = await readFlagState(prefix, 'production');
    const record = live.get('flag/new-checkout')?.value as FlagStateRecord;
    expect(record.version).toBe(3);
    expect(record.flag.environments.production).toEqual({ ...config, on: false });
    expect(record.flag.variants).toEqual({ on: true, off: false });

    const archived = await api('POST', '/api/flags/new-checkout/archive', { reason: 'rolled out' });
    expect(archived.status).toBe(200);
    expect((await readFlagState(prefix, 'production')).get('flag/new-checkout')?.value).toBeNull();

    const events = await readEvents(prefix);
    const flagEvents = events.filter((e) => e.aggregateId === 'flag:new-checkout');
    expect(flagEvents.map((e) => [e.type, e.version])).toEqual([
      ['FlagCreated', 1],
      ['FlagEnvironmentConfigured', 2],
      ['FlagToggled', 3],
      ['FlagArchived', 4],
    ]);
    expect(flagEvents[0]).toMatchObject({ reason: 'JIRA-1', actor: { name: 'bootstrap-admin' } });
    expect(flagEvents[3]!.reason).toBe('rolled out');
    // The whole log is one unbroken chain from the genesis hash.
    let head = { sequence: 0, hash: GENESIS_HASH };
    for (const event of events) {
      expect(checkChainLink(head.sequence, head.hash, event)).toBeUndefined();
      head = { sequence: event.sequence, hash: event.hash };
    }
  });

  it('restores an archived flag with the configuration it had', async () => {
    await api('POST', '/api/flags', { key: 'restorable', name: 'Restorable' });
    await api('POST', '/api/flags/restorable/environments/production/toggle', { on: true });
    await api('POST', '/api/flags/restorable/archive', {});
    const restored = await api('POST', '/api/flags/restorable/restore', {});
    expect(restored.status).toBe(200);
    const record = (await readFlagState(cp.config.kafka.topicPrefix, 'production')).get('flag/restorable')?.value as FlagStateRecord;
    expect(record.flag.environments.production?.on).toBe(true);
  });

  it('rejects a stale If-Match with 409 and the current version, writing nothing', async () => {
    await api('POST', '/api/flags', { key: 'contended', name: 'Contended' });
    const before = (await readEvents(cp.config.kafka.topicPrefix)).length;
    const stale = await api('POST', '/api/flags/contended/environments/production/toggle', { on: true }, { 'If-Match': '"7"' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: 'version_conflict', currentVersion: 1 });
    expect(stale.headers.get('etag')).toBe('"1"');
    expect((await readEvents(cp.config.kafka.topicPrefix)).length).toBe(before);
  });

  it('lets exactly one of 50 concurrent updates with the same If-Match through; the rest get 409', async () => {
    await api('POST', '/api/flags', { key: 'race', name: 'Race' });
    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api('POST', '/api/flags/race/environments/production/toggle', { on: i % 2 === 0 }, { 'If-Match': '"1"' }),
      ),
    );
    const statuses = attempts.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const raceEvents = (await readEvents(cp.config.kafka.topicPrefix)).filter((e) => e.aggregateId === 'flag:race');
    expect(raceEvents).toHaveLength(2);
  });

  it('refuses to delete a segment a flag uses, naming the flag', async () => {
    expect((await api('POST', '/api/environments/production/segments', { key: 'beta', name: 'Beta', included: ['u1'] })).status).toBe(201);
    await api('POST', '/api/flags', { key: 'seg-user', name: 'Segment user' });
    const config = {
      on: true,
      offVariant: 'off',
      rules: [{ id: 'beta', condition: { attribute: 'targetingKey', operator: 'segment', values: ['beta'] }, serve: { variant: 'on' } }],
      fallthrough: { variant: 'off' },
    };
    expect((await api('PUT', '/api/flags/seg-user/environments/production', config)).status).toBe(200);
    const refused = await api('DELETE', '/api/environments/production/segments/beta');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'in_use', details: [{ field: 'key', problem: 'is used by flag "seg-user"' }] });
    const state = await readFlagState(cp.config.kafka.topicPrefix, 'production');
    expect(state.get('segment/beta')?.value).toMatchObject({ kind: 'segment', segment: { key: 'beta', included: ['u1'] } });
  });
});
