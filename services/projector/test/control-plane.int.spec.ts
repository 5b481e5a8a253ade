import { createKafka } from '@flagpole/kafka';
import { apiClient, type ApiResponse } from '../../../test/support/api-client';
import { startControlPlane, type RunningControlPlane } from '../../../test/support/control-plane.harness';
import { readEvents, testKafkaSettings } from '../../../test/support/kafka-topics';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { uniqueName } from '../../../test/support/unique-name';
import { WriterRuntime } from '../../control-plane/src/infrastructure/writer.runtime';
import {
  AuditEntryEntity,
  FlagEntity,
  FlagEnvironmentEntity,
  readModelDataSource,
  recordsFromRows,
  TokenEntity,
  toView,
  EnvironmentEntity,
  ProjectionPositionEntity,
  SegmentEntity,
} from '@flagpole/read-model';
import { startProjector, waitForSequence, type RunningProjector } from './support/projector.harness';
import { checksumOf, verifyStored } from './support/read-model-db';

describe('read models against the control plane, after commands over HTTP', () => {
  const prefix = uniqueName('fpcp');
  let db: TestDatabase;
  let cp: RunningControlPlane;
  let projector: RunningProjector;
  let api: ReturnType<typeof apiClient>;
  let lastToken = 0;

  /** Every mutation's consistency token: the projector is then waited on up to the last one. */
  const call = async (...args: Parameters<ReturnType<typeof apiClient>>): Promise<ApiResponse> => {
    const response = await api(...args);
    expect(response.status).toBeLessThan(300);
    const token = Number(response.headers.get('x-consistency-token'));
    if (token > lastToken) lastToken = token;
    return response;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    // Both services on one database, as deployed: the control plane in `public`, the read model in `read_model`.
    cp = await startControlPlane({ databaseUrl: db.url, topicPrefix: prefix });
    projector = await startProjector({ databaseUrl: db.url, topicPrefix: prefix });
    api = apiClient(cp.url, cp.adminToken);
  });

  afterAll(async () => {
    await projector?.stop();
    await cp?.stop();
    await db?.drop();
    const admin = createKafka(testKafkaSettings(prefix)).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  });

  it('hold exactly the state the writer decides against, with an audit row per event', async () => {
    await call('POST', '/api/environments', { key: 'production', name: 'Production', production: true });
    await call('POST', '/api/environments', { key: 'staging', name: 'Staging' });
    await call('POST', '/api/flags', { key: 'checkout', name: 'New checkout', kind: 'release', tags: ['web'], owner: 'team-a', reason: 'JIRA-7' });
    await call('POST', '/api/flags', { key: 'banner', name: 'Banner', type: 'string', variants: { blue: 'blue', green: 'green' }, onVariant: 'green', offVariant: 'blue' });
    await call('POST', '/api/environments/production/segments', { key: 'beta', name: 'Beta', included: ['u1', 'u2'], attribute: 'userId' });
    const config = {
      on: true,
      offVariant: 'off',
      rules: [
        { id: 'beta', condition: { attribute: 'userId', operator: 'segment', values: ['beta'] }, serve: { variant: 'on' } },
        { id: 'internal', condition: { attribute: 'email', operator: 'endsWith', values: ['@example.com'] }, serve: { variant: 'on' } },
      ],
      fallthrough: { rollout: { variants: [{ variant: 'on', weight: 10_000 }, { variant: 'off', weight: 90_000 }] } },
    };
    await call('PUT', '/api/flags/checkout/environments/production', config);
    await call('PUT', '/api/flags/checkout/environments/production', { ...config, rules: [...config.rules].reverse() });
    await call('POST', '/api/flags/checkout/environments/staging/toggle', { on: true, reason: 'try it' });
    await call('PATCH', '/api/flags/checkout', { owner: 'team-b', tags: ['web', 'q3'] });
    await call('PUT', '/api/flags/banner/variants', { variants: { blue: 'blue', green: 'green', red: 'red' } });
    await call('PUT', '/api/environments/production/segments/beta', { name: 'Beta', included: ['u1', 'u2', 'u3'], attribute: 'userId' });
    await call('POST', '/api/flags/banner/archive', { reason: 'done' });
    await call('POST', '/api/environments/staging/segments', { key: 'gone', name: 'Gone', included: ['x'] });
    await call('DELETE', '/api/environments/staging/segments/gone');
    const issued = await call('POST', '/api/tokens', { name: 'ci', role: 'editor', environments: ['staging'] });
    await call('DELETE', `/api/tokens/${String(issued.body.tokenId)}`);
    await call('POST', '/api/flags/banner/restore', {});

    await waitForSequence(projector, lastToken);

    const dataSource = readModelDataSource(db.url, { poolSize: 1 });
    await dataSource.initialize();
    try {
      const m = dataSource.manager;
      const records = recordsFromRows({
        positions: (await m.find(ProjectionPositionEntity)).map(toView.position),
        environments: (await m.find(EnvironmentEntity)).map(toView.environment),
        flags: (await m.find(FlagEntity)).map(toView.flag),
        flagEnvironments: (await m.find(FlagEnvironmentEntity)).map(toView.flagEnvironment),
        segments: (await m.find(SegmentEntity)).map(toView.segment),
        tokens: (await m.find(TokenEntity)).map(toView.token),
        approvalPolicies: [],
        changeRequests: [],
      });
      // The strongest check there is: the rows give back the writer's own in-memory state.
      const writer = cp.app.get(WriterRuntime).state;
      expect(records.size).toBe([...writer.environments(), ...writer.flags(), ...writer.segments(), ...writer.tokens()].length);
      for (const [id, record] of records) expect(record.state).toEqual(writer[record.aggregateType](id));

      const checkout = toView.flag(await m.findOneByOrFail(FlagEntity, { key: 'checkout' }));
      expect(checkout).toMatchObject({ name: 'New checkout', kind: 'release', owner: 'team-b', tags: ['web', 'q3'], status: 'active', version: 5 });
      const production = toView.flagEnvironment(await m.findOneByOrFail(FlagEnvironmentEntity, { flagKey: 'checkout', environmentKey: 'production' }));
      expect(production).toMatchObject({ on: true, version: 3, config: { ...config, rules: [...config.rules].reverse() } });
      const tokens = (await m.find(TokenEntity)).map(toView.token);
      expect(tokens.find((t) => t.id === issued.body.tokenId)).toMatchObject({ name: 'ci', role: 'editor', environments: ['staging'], status: 'revoked' });
      expect(JSON.stringify(tokens)).not.toContain(String(issued.body.token));

      // The audit trail: one row per event in the log, with who, why and what changed.
      const events = await readEvents(prefix);
      const audit = (await m.find(AuditEntryEntity, { order: { sequence: 'ASC' } })).map(toView.audit);
      expect(audit.map((a) => a.eventId)).toEqual(events.map((e) => e.id));
      const reorder = audit.find((a) => a.aggregateId === 'flag:checkout' && a.version === 3)!;
      expect(reorder.diff).toEqual([{ op: 'move', path: '/environments/production/rules', before: ['beta', 'internal'], after: ['internal', 'beta'] }]);
      const toggle = audit.find((a) => a.eventType === 'FlagToggled')!;
      expect(toggle).toMatchObject({ actorName: 'bootstrap-admin', reason: 'try it', diff: [{ op: 'replace', path: '/environments/staging/on', before: false, after: true }] });
      expect(audit.find((a) => a.eventType === 'FlagCreated' && a.aggregateId === 'flag:checkout')).toMatchObject({ reason: 'JIRA-7', version: 1 });
    } finally {
      await dataSource.destroy();
    }
    expect((await verifyStored(db.url)).ok).toBe(true);
    expect((await checksumOf(db.url)).tables.audit_trail.rows).toBe(lastToken);
  });
});
