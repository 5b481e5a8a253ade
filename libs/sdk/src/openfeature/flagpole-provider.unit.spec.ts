import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus, type EventDetails } from '@openfeature/server-sdk';
import { createTestClient } from '../testing/in-memory-client';
import { FlagpoleProvider, toFlagpoleContext } from './flagpole-provider';

describe('FlagpoleProvider through the OpenFeature client (in-memory Flagpole client)', () => {
  afterEach(() => OpenFeature.close());

  async function openFeatureWith(flags: ReturnType<typeof createTestClient>) {
    const provider = new FlagpoleProvider(flags);
    await OpenFeature.setProviderAndWait(provider);
    return { provider, client: OpenFeature.getClient() };
  }

  it('resolves the four types with variant, reason and Flagpole metadata', async () => {
    const flags = createTestClient({ overrides: { b: true, s: 'dark', n: 42, j: { a: [1, 2] } } });
    const { client } = await openFeatureWith(flags);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getBooleanDetails('b', false, { targetingKey: 'u1' })).toEqual({
      flagKey: 'b',
      value: true,
      variant: 'override',
      reason: 'DEFAULT',
      flagMetadata: { stale: false, source: 'memory', evaluationReason: 'DEFAULT', flagVersion: 1 },
    });
    expect(await client.getStringValue('s', 'light')).toBe('dark');
    expect(await client.getNumberValue('n', 0)).toBe(42);
    expect(await client.getObjectValue('j', {})).toEqual({ a: [1, 2] });
  });

  it('maps Flagpole error codes to OpenFeature error codes and serves the default', async () => {
    const { client } = await openFeatureWith(createTestClient({ overrides: { s: 'dark' } }));
    expect(await client.getBooleanDetails('s', true)).toMatchObject({ value: true, reason: 'ERROR', errorCode: ErrorCode.TYPE_MISMATCH });
    expect(await client.getNumberDetails('missing', 3)).toMatchObject({ value: 3, reason: 'ERROR', errorCode: ErrorCode.FLAG_NOT_FOUND });
  });

  it('passes rule ids and OpenFeature Date context values to the engine', async () => {
    const flags = createTestClient().putFlag({
      key: 'early-adopter',
      type: 'boolean',
      variants: { on: true, off: false },
      environments: {
        test: {
          on: true,
          offVariant: 'off',
          rules: [{ id: 'signed-up-2024', condition: { attribute: 'signedUpAt', operator: 'before', values: ['2025-01-01'] }, serve: { variant: 'on' } }],
          fallthrough: { variant: 'off' },
        },
      },
    });
    const { client } = await openFeatureWith(flags);
    const details = await client.getBooleanDetails('early-adopter', false, { targetingKey: 'u1', signedUpAt: new Date('2024-06-01T00:00:00Z') });
    expect(details).toMatchObject({ value: true, reason: 'TARGETING_MATCH', flagMetadata: { ruleId: 'signed-up-2024' } });
    expect(await client.getBooleanValue('early-adopter', true, { signedUpAt: new Date('2026-01-01') })).toBe(false);
  });

  it('emits PROVIDER_CONFIGURATION_CHANGED with the changed flag keys', async () => {
    const flags = createTestClient({ overrides: { a: true } });
    const { client } = await openFeatureWith(flags);
    const changed = new Promise<EventDetails | undefined>((resolve) => client.addHandler(ProviderEvents.ConfigurationChanged, resolve));
    flags.override('a', false);
    expect(await changed).toMatchObject({ flagsChanged: ['a'], providerName: 'flagpole' });
    expect(await client.getBooleanValue('a', true)).toBe(false);
  });

  it('closes a client it was given only when asked to', async () => {
    const flags = createTestClient();
    await openFeatureWith(flags);
    await OpenFeature.close();
    expect(flags.status().state).toBe('READY');
    const owned = createTestClient();
    await OpenFeature.setProviderAndWait(new FlagpoleProvider(owned, { closeClient: true }));
    await OpenFeature.close();
    expect(owned.status().state).toBe('CLOSED');
  });
});

describe('toFlagpoleContext', () => {
  it('turns Dates into ISO-8601 strings, nested too, and passes date-free contexts through untouched', () => {
    const plain = { targetingKey: 'u', nested: { a: 1 } };
    expect(toFlagpoleContext(plain)).toBe(plain);
    expect(toFlagpoleContext({ at: new Date('2024-01-01T00:00:00Z'), list: [new Date(0)], deep: { bad: new Date(Number.NaN) } })).toEqual({
      at: '2024-01-01T00:00:00.000Z',
      list: ['1970-01-01T00:00:00.000Z'],
      deep: { bad: null },
    });
    expect(toFlagpoleContext(undefined)).toEqual({});
  });
});
