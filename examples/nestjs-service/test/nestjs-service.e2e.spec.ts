import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OpenFeature } from '@openfeature/server-sdk';
import request from 'supertest';
import { FlagpoleProvider, type FlagpoleClientOptions } from '@flagpole/sdk';
import { apiClient } from '../../../test/support/api-client';
import { startControlPlane, type RunningControlPlane } from '../../../test/support/control-plane.harness';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { kafkaSettingsFromEnv } from '@flagpole/kafka';
import { AppModule } from '../src/app.module';

const ENV = 'production';

describe('the NestJS example service with @openfeature/nestjs-sdk and the Flagpole provider (control plane → Kafka → service)', () => {
  let db: TestDatabase;
  let cp: RunningControlPlane;
  let app: INestApplication;
  let provider: FlagpoleProvider;
  let api: ReturnType<typeof apiClient>;

  async function ok(method: string, path: string, body?: unknown): Promise<void> {
    const response = await api(method, path, body);
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    cp = await startControlPlane({ databaseUrl: db.url });
    api = apiClient(cp.url, cp.adminToken);
    await ok('POST', '/api/environments', { key: ENV, name: 'Production' });
    await ok('POST', '/api/flags', { key: 'new-checkout', name: 'New checkout' });
    await ok('PUT', `/api/flags/new-checkout/environments/${ENV}`, {
      on: true,
      offVariant: 'off',
      rules: [{ id: 'premium', condition: { attribute: 'plan', operator: 'in', values: ['premium'] }, serve: { variant: 'on' } }],
      fallthrough: { variant: 'off' },
    });
    await ok('POST', '/api/flags', { key: 'checkout-discount-percent', name: 'Discount', type: 'number', variants: { none: 0, ten: 10 }, onVariant: 'ten', offVariant: 'none' });
    await ok('POST', `/api/flags/checkout-discount-percent/environments/${ENV}/toggle`, { on: true });

    const options: FlagpoleClientOptions = { brokers: kafkaSettingsFromEnv().brokers, environment: ENV, topicPrefix: cp.config.kafka.topicPrefix };
    provider = new FlagpoleProvider(options);
    await OpenFeature.setProviderAndWait(provider);
    app = await NestFactory.create(AppModule.register(provider), { logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close(); // closes OpenFeature, which closes the Flagpole client
    await cp?.stop();
    await db?.drop();
  });

  it('evaluates flags with the request context the module propagates', async () => {
    const premium = await request(app.getHttpServer()).get('/checkout/quote?subtotal=1000').set('x-user-id', 'u1').set('x-plan', 'premium');
    expect(premium.body).toEqual({ flow: 'new', subtotalCents: 1000, totalCents: 900 });
    const free = await request(app.getHttpServer()).get('/checkout/quote?subtotal=1000').set('x-user-id', 'u2').set('x-plan', 'free');
    expect(free.body).toEqual({ flow: 'classic', subtotalCents: 1000, totalCents: 1000 });
    const banner = await request(app.getHttpServer()).get('/checkout/banner').set('x-user-id', 'u1').set('x-plan', 'premium');
    expect(banner.body).toEqual({ banner: 'Try our new checkout!', reason: 'TARGETING_MATCH', variant: 'on' });
  });

  it('follows a kill switch flipped over HTTP without a restart', async () => {
    const changed = new Promise<void>((resolve) => provider.client.onFlagChange('new-checkout', () => resolve()));
    await ok('POST', `/api/flags/new-checkout/environments/${ENV}/toggle`, { on: false, reason: 'incident' });
    await changed;
    const quote = await request(app.getHttpServer()).get('/checkout/quote?subtotal=1000').set('x-user-id', 'u1').set('x-plan', 'premium');
    expect(quote.body).toEqual({ flow: 'classic', subtotalCents: 1000, totalCents: 1000 });
    const banner = await request(app.getHttpServer()).get('/checkout/banner').set('x-user-id', 'u1').set('x-plan', 'premium');
    expect(banner.body).toEqual({ banner: null, reason: 'DISABLED', variant: 'off' });
  });

  it('reports how fresh its flags are', async () => {
    const status = await request(app.getHttpServer()).get('/flags/status');
    expect(status.body).toMatchObject({ state: 'READY', source: 'kafka', environment: ENV, flags: 2, offsets: { '0': expect.any(String) } });
  });
});
