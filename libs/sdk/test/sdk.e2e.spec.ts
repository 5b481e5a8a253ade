import type { FlagStateRecord, SegmentStateRecord } from '@flagpole/domain';
import { evaluateFlag, InMemoryFlagStore, type EvaluationContext, type JsonValue } from '@flagpole/evaluation';
import { FlagpoleClient, type FlagEvaluationDetails } from '@flagpole/sdk';
import { apiClient } from '../../../test/support/api-client';
import { startControlPlane, type RunningControlPlane } from '../../../test/support/control-plane.harness';
import { readFlagState } from '../../../test/support/kafka-topics';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { testBrokers } from './support/flag-records';
import { Clients, nextChange, nextFlagChange } from './support/sdk-helpers';

const ENV = 'production';

const CONTEXTS: EvaluationContext[] = [
  {},
  { targetingKey: 'user-1' },
  { targetingKey: 'user-2', country: 'US', plan: 'premium', email: 'a@example.com' },
  { targetingKey: 'user-3', country: 'DE', plan: 'free', email: 'b@corp.test' },
  { targetingKey: 'vip-7', country: 'CA', plan: 'premium' },
  ...Array.from({ length: 40 }, (_, i) => ({ targetingKey: `u-${i}`, country: ['US', 'DE', 'GB'][i % 3], plan: i % 4 === 0 ? 'premium' : 'free' })),
];

describe('the SDK serves what the control plane writes (HTTP → Kafka → SDK)', () => {
  let db: TestDatabase;
  let cp: RunningControlPlane;
  let api: ReturnType<typeof apiClient>;
  const clients = new Clients();

  const sdk = (extra: Partial<ConstructorParameters<typeof FlagpoleClient>[0]> = {}) =>
    clients.add(new FlagpoleClient({ brokers: testBrokers(), environment: ENV, topicPrefix: cp.config.kafka.topicPrefix, ...extra }));

  async function ok(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await api(method, path, body);
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** The engine's answer over the compacted topic as the test support reads it. */
  async function engineStore(): Promise<InMemoryFlagStore> {
    const store = new InMemoryFlagStore(ENV);
    for (const record of (await readFlagState(cp.config.kafka.topicPrefix, ENV)).values()) {
      if (record.value === null) continue;
      if (record.value.kind === 'segment') store.putSegment((record.value as SegmentStateRecord).segment);
      else store.putFlag((record.value as FlagStateRecord).flag);
    }
    return store;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    cp = await startControlPlane({ databaseUrl: db.url });
    api = apiClient(cp.url, cp.adminToken);
    await ok('POST', '/api/environments', { key: ENV, name: 'Production', production: true });
    await ok('POST', `/api/environments/${ENV}/segments`, { key: 'vips', name: 'VIPs', included: ['vip-7'], condition: { attribute: 'plan', operator: 'in', values: ['premium'] } });

    await ok('POST', '/api/flags', { key: 'new-checkout', name: 'New checkout' });
    await ok('PUT', `/api/flags/new-checkout/environments/${ENV}`, {
      on: true,
      offVariant: 'off',
      targets: [{ variant: 'on', values: ['user-1'] }],
      rules: [
        { id: 'internal', condition: { attribute: 'email', operator: 'endsWith', values: ['@example.com'] }, serve: { variant: 'on' } },
        { id: 'vips', condition: { attribute: 'targetingKey', operator: 'segment', values: ['vips'] }, serve: { variant: 'on' } },
      ],
      fallthrough: { rollout: { variants: [{ variant: 'on', weight: 30_000 }, { variant: 'off', weight: 70_000 }] } },
    });
    await ok('POST', '/api/flags', { key: 'theme', name: 'Theme', type: 'string', variants: { classic: 'classic', dark: 'dark', neon: 'neon' }, onVariant: 'dark', offVariant: 'classic' });
    await ok('PUT', `/api/flags/theme/environments/${ENV}`, {
      on: true,
      offVariant: 'classic',
      prerequisites: [{ flag: 'new-checkout', variants: ['on'] }],
      rules: [{ id: 'germany', condition: { attribute: 'country', operator: 'in', values: ['DE'] }, serve: { variant: 'neon' } }],
      fallthrough: { variant: 'dark' },
    });
    await ok('POST', '/api/flags', { key: 'max-items', name: 'Max items', type: 'number', variants: { small: 10, large: 50 }, onVariant: 'large', offVariant: 'small' });
    await ok('PUT', `/api/flags/max-items/environments/${ENV}`, {
      on: true,
      offVariant: 'small',
      rules: [{ id: 'premium', condition: { attribute: 'plan', operator: 'in', values: ['premium'] }, serve: { variant: 'large' } }],
      fallthrough: { variant: 'small' },
    });
    await ok('POST', '/api/flags', { key: 'banner', name: 'Banner', type: 'json', variants: { none: null, sale: { text: 'Sale!', discount: 20 } }, onVariant: 'sale', offVariant: 'none' });
    await ok('POST', `/api/flags/banner/environments/${ENV}/toggle`, { on: true });
  });

  afterAll(async () => {
    await clients.closeAll();
    await cp?.stop();
    await db?.drop();
  });

  it('starts ready and evaluates every flag configured over HTTP exactly as the engine does', async () => {
    const client = sdk();
    const status = await client.start();
    expect(status).toMatchObject({ state: 'READY', source: 'kafka', flags: 4, segments: 1, topic: `${cp.config.kafka.topicPrefix}.flags.${ENV}` });
    expect(Object.keys(status.offsets)).toEqual(['0']);
    expect(status.startup.ready).toBeGreaterThanOrEqual(0);

    const store = await engineStore();
    const cases: Array<[string, JsonValue, 'boolean' | 'string' | 'number' | 'json', (key: string, d: never, c: EvaluationContext) => FlagEvaluationDetails<JsonValue>]> = [
      ['new-checkout', false, 'boolean', (k, d, c) => client.getBooleanDetails(k, d, c)],
      ['theme', 'default', 'string', (k, d, c) => client.getStringDetails(k, d, c)],
      ['max-items', -1, 'number', (k, d, c) => client.getNumberDetails(k, d, c)],
      ['banner', { fallback: true }, 'json', (k, d, c) => client.getJsonDetails(k, d, c)],
    ];
    for (const [key, fallback, type, get] of cases) {
      for (const context of CONTEXTS) {
        const expected = evaluateFlag(store, key, context, fallback, { expectedType: type });
        const actual = get(key, fallback as never, context);
        expect({ key, context, value: actual.value, variant: actual.variant, reason: actual.reason, ruleId: actual.ruleId, errorCode: actual.errorCode }).toEqual({
          key,
          context,
          value: expected.value,
          variant: expected.variant,
          reason: expected.reason,
          ruleId: expected.ruleId,
          errorCode: expected.errorCode,
        });
      }
    }
    // A few answers spelled out, so the comparison above is not comparing two empty stores.
    expect(client.getBooleanDetails('new-checkout', false, { targetingKey: 'user-1' })).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH', stale: false, flagVersion: 2 });
    expect(client.getBooleanDetails('new-checkout', false, { targetingKey: 'vip-7', plan: 'premium' })).toMatchObject({ value: true, reason: 'TARGETING_MATCH', ruleId: 'vips' });
    expect(client.getStringValue('theme', 'default', { targetingKey: 'user-1', country: 'DE' })).toBe('neon');
    expect(client.getNumberValue('max-items', -1, { plan: 'premium' })).toBe(50);
    expect(client.getJsonValue('banner', null, {})).toEqual({ text: 'Sale!', discount: 20 });
    expect(client.getStringDetails('new-checkout', 'x')).toMatchObject({ value: 'x', reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
    expect(client.getBooleanDetails('no-such-flag', true)).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  });

  it('fires a change event after a toggle over HTTP, with the new configuration already in place', async () => {
    const client = sdk();
    await client.start();
    expect(client.getNumberValue('max-items', -1, { plan: 'free' })).toBe(10);

    let seenInListener: number | undefined;
    client.onFlagChange('max-items', () => (seenInListener = client.getNumberValue('max-items', -1, { plan: 'free' })));
    const change = nextChange(client, (e) => e.flagKeys.includes('max-items'));
    const toggled = await ok('POST', `/api/flags/max-items/environments/${ENV}/toggle`, { on: false, reason: 'incident' });

    const event = await change;
    expect(event.flags).toEqual([{ key: 'max-items', type: 'updated', cause: 'flag', version: toggled.version, previousVersion: (toggled.version as number) - 1 }]);
    expect(event.source).toBe('kafka');
    expect(BigInt(event.offsets['0'])).toBeGreaterThan(0n);
    expect(seenInListener).toBe(10); // off → offVariant small
    expect(client.getNumberDetails('max-items', -1, { plan: 'premium' })).toMatchObject({ value: 10, reason: 'DISABLED', variant: 'small' });
    expect(client.status().lastUpdateAt).toBe(event.appliedAt);

    const back = nextFlagChange(client, 'max-items', (c) => c.version === (toggled.version as number) + 1);
    await ok('POST', `/api/flags/max-items/environments/${ENV}/toggle`, { on: true });
    await back;
    expect(client.getNumberValue('max-items', -1, { plan: 'premium' })).toBe(50);
  });

  it('names the flags a segment change affects, directly and through prerequisites', async () => {
    const client = sdk();
    await client.start();
    expect(client.getBooleanDetails('new-checkout', false, { targetingKey: 'vip-8', plan: 'free', country: 'US' }).ruleId).toBeUndefined();

    const change = nextChange(client, (e) => e.segments.some((s) => s.key === 'vips'));
    await ok('PUT', `/api/environments/${ENV}/segments/vips`, { name: 'VIPs', included: ['vip-7', 'vip-8'] });
    const event = await change;
    expect(event.segments).toEqual([{ key: 'vips', type: 'updated', version: 2, previousVersion: 1 }]);
    expect(new Set(event.flagKeys)).toEqual(new Set(['new-checkout', 'theme']));
    expect(event.flags.find((f) => f.key === 'theme')).toMatchObject({ cause: 'prerequisite' });
    expect(event.flags.find((f) => f.key === 'new-checkout')).toMatchObject({ cause: 'segment' });
    expect(client.getBooleanDetails('new-checkout', false, { targetingKey: 'vip-8' })).toMatchObject({ value: true, ruleId: 'vips' });
  });

  it('reports FLAG_NOT_FOUND and returns the default once a flag is archived, and serves it again once restored', async () => {
    await ok('POST', '/api/flags', { key: 'doomed', name: 'Doomed' });
    await ok('POST', `/api/flags/doomed/environments/${ENV}/toggle`, { on: true });
    const client = sdk();
    await client.start();
    expect(client.getBooleanDetails('doomed', false)).toMatchObject({ value: true, reason: 'DEFAULT' });

    const removed = nextFlagChange(client, 'doomed', (c) => c.type === 'removed');
    await ok('POST', '/api/flags/doomed/archive', { reason: 'done' });
    expect(await removed).toMatchObject({ key: 'doomed', type: 'removed', cause: 'flag' });
    expect(client.getBooleanDetails('doomed', false)).toEqual(
      expect.objectContaining({ value: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', stale: false }),
    );
    expect(client.getBooleanValue('doomed', true)).toBe(true);
    expect(client.flagKeys()).not.toContain('doomed');

    const added = nextFlagChange(client, 'doomed', (c) => c.type === 'added');
    await ok('POST', '/api/flags/doomed/restore', {});
    expect(await added).toMatchObject({ type: 'added' });
    expect(client.getBooleanValue('doomed', false)).toBe(true);
  });

  it('rebuilds identical state after a restart of the SDK', async () => {
    const first = sdk();
    await first.start();
    const before = first.snapshot();
    const answers = (c: FlagpoleClient) => CONTEXTS.map((ctx) => [c.getBooleanDetails('new-checkout', false, ctx), c.getStringDetails('theme', '', ctx), c.getNumberDetails('max-items', 0, ctx)]);
    const beforeAnswers = answers(first);
    await first.close();

    const second = sdk();
    const status = await second.start();
    expect(status.state).toBe('READY');
    const after = second.snapshot();
    expect(after.records).toEqual(before.records);
    expect(after.offsets).toEqual(before.offsets);
    expect(answers(second)).toEqual(beforeAnswers);
  });
});
