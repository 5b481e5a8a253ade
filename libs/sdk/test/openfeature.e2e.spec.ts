import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus, type EventDetails } from '@openfeature/server-sdk';
import { FlagpoleClient, FlagpoleProvider } from '@flagpole/sdk';
import { apiClient } from '../../../test/support/api-client';
import { startControlPlane, type RunningControlPlane } from '../../../test/support/control-plane.harness';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { testBrokers } from './support/flag-records';
import { waitFor } from './support/sdk-helpers';

const ENV = 'staging';

describe('the Flagpole OpenFeature provider through the OpenFeature client (control plane, Kafka, SDK)', () => {
  let db: TestDatabase;
  let cp: RunningControlPlane;
  let api: ReturnType<typeof apiClient>;
  let dir: string;

  async function ok(method: string, p: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await api(method, p, body);
    if (response.status >= 300) throw new Error(`${method} ${p} → ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  const options = () => ({ brokers: testBrokers(), environment: ENV, topicPrefix: cp.config.kafka.topicPrefix });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'flagpole-openfeature-'));
    db = await createTestDatabase();
    cp = await startControlPlane({ databaseUrl: db.url });
    api = apiClient(cp.url, cp.adminToken);
    await ok('POST', '/api/environments', { key: ENV, name: 'Staging' });
    await ok('POST', '/api/flags', { key: 'dark-mode', name: 'Dark mode' });
    await ok('PUT', `/api/flags/dark-mode/environments/${ENV}`, {
      on: true,
      offVariant: 'off',
      rules: [{ id: 'staff', condition: { attribute: 'email', operator: 'endsWith', values: ['@example.com'] }, serve: { variant: 'on' } }],
      fallthrough: { variant: 'off' },
    });
    await ok('POST', '/api/flags', { key: 'greeting', name: 'Greeting', type: 'string', variants: { hello: 'Hello', hi: 'Hi' }, onVariant: 'hi', offVariant: 'hello' });
    await ok('POST', `/api/flags/greeting/environments/${ENV}/toggle`, { on: true });
    await ok('POST', '/api/flags', { key: 'page-size', name: 'Page size', type: 'number', variants: { s: 20, l: 100 }, onVariant: 'l', offVariant: 's' });
    await ok('POST', `/api/flags/page-size/environments/${ENV}/toggle`, { on: true });
    await ok('POST', '/api/flags', { key: 'limits', name: 'Limits', type: 'json', variants: { none: {}, some: { rps: 10, burst: [1, 2] } }, onVariant: 'some', offVariant: 'none' });
    await ok('POST', `/api/flags/limits/environments/${ENV}/toggle`, { on: true });
  });

  afterAll(async () => {
    await OpenFeature.close();
    await cp?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves all four types with reasons, variants and rule ids, and maps errors to OpenFeature codes', async () => {
    await OpenFeature.setProviderAndWait('resolve', new FlagpoleProvider(options()));
    const client = OpenFeature.getClient('resolve');
    expect(client.providerStatus).toBe(ProviderStatus.READY);

    expect(await client.getBooleanDetails('dark-mode', false, { targetingKey: 'u1', email: 'a@example.com' })).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      flagMetadata: { ruleId: 'staff', stale: false, source: 'kafka', flagVersion: 2 },
    });
    expect(await client.getBooleanDetails('dark-mode', true, { targetingKey: 'u2' })).toMatchObject({ value: false, reason: 'DEFAULT' });
    expect(await client.getStringValue('greeting', '')).toBe('Hi');
    expect(await client.getNumberValue('page-size', 0)).toBe(100);
    expect(await client.getObjectValue('limits', {})).toEqual({ rps: 10, burst: [1, 2] });
    expect(await client.getNumberDetails('greeting', 5)).toMatchObject({ value: 5, reason: 'ERROR', errorCode: ErrorCode.TYPE_MISMATCH });
    expect(await client.getStringDetails('nope', 'd')).toMatchObject({ value: 'd', reason: 'ERROR', errorCode: ErrorCode.FLAG_NOT_FOUND });
  });

  it('emits PROVIDER_CONFIGURATION_CHANGED naming the flag changed over HTTP, and resolves the new value', async () => {
    await OpenFeature.setProviderAndWait('changes', new FlagpoleProvider(options()));
    const client = OpenFeature.getClient('changes');
    const changed: string[] = [];
    client.addHandler(ProviderEvents.ConfigurationChanged, (details?: EventDetails<ProviderEvents.ConfigurationChanged>) => {
      changed.push(...(details?.flagsChanged ?? []));
    });

    await ok('POST', `/api/flags/page-size/environments/${ENV}/toggle`, { on: false });
    await waitFor(() => changed.includes('page-size'), 15_000, 'configuration changed event');
    expect(await client.getNumberDetails('page-size', 0)).toMatchObject({ value: 20, reason: 'DISABLED', variant: 's' });

    await ok('POST', '/api/flags/greeting/archive', {});
    await waitFor(() => changed.includes('greeting'), 15_000, 'archive event');
    expect(await client.getStringDetails('greeting', 'fallback')).toMatchObject({ value: 'fallback', errorCode: ErrorCode.FLAG_NOT_FOUND });
    await ok('POST', '/api/flags/greeting/restore', {});
  });

  it('is in ERROR and serves defaults with PROVIDER_NOT_READY when Kafka is unreachable and there is no snapshot', async () => {
    const provider = new FlagpoleProvider({ ...options(), brokers: ['127.0.0.1:1'], startTimeoutMs: 300 });
    await expect(OpenFeature.setProviderAndWait('down', provider)).rejects.toThrow(/no flag configuration/);
    const client = OpenFeature.getClient('down');
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(await client.getBooleanDetails('dark-mode', true)).toMatchObject({ value: true, reason: 'ERROR', errorCode: ErrorCode.PROVIDER_NOT_READY });
  });

  it('is READY then STALE, resolving from the snapshot with reason CACHED, when Kafka is unreachable at start', async () => {
    const file = path.join(dir, 'flags.json');
    const writer = new FlagpoleClient({ ...options(), snapshotPath: file });
    await writer.start();
    await writer.close();

    const provider = new FlagpoleProvider({ ...options(), brokers: ['127.0.0.1:1'], snapshotPath: file, startTimeoutMs: 300 });
    const client = OpenFeature.getClient('cached');
    const stale = new Promise<void>((resolve) => client.addHandler(ProviderEvents.Stale, () => resolve()));
    await OpenFeature.setProviderAndWait('cached', provider);
    await stale;
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    expect(await client.getBooleanDetails('dark-mode', false, { email: 'b@example.com' })).toMatchObject({
      value: true,
      reason: 'CACHED',
      flagMetadata: { stale: true, source: 'snapshot', evaluationReason: 'TARGETING_MATCH', ruleId: 'staff' },
    });
  });
});
