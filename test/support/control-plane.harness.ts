import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../services/control-plane/src/config/app-config';
import { createApp } from '../../services/control-plane/src/create-app';
import { testKafkaSettings } from './kafka-topics';
import { uniqueName } from './unique-name';

export interface RunningControlPlane {
  readonly app: INestApplication;
  readonly url: string;
  readonly config: AppConfig;
  /** Secret of the bootstrap admin token. */
  readonly adminToken: string;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  readonly databaseUrl: string;
  readonly topicPrefix?: string;
  readonly transactionalId?: string;
  readonly brokers?: readonly string[];
  readonly commandTimeoutMs?: number;
  readonly adminToken?: string;
  /** Wait until the writer takes commands (false for followers). */
  readonly waitForWriter?: boolean;
}

/** Starts a real control plane (real Kafka, real Postgres) on a random port. */
export async function startControlPlane(options: ControlPlaneOptions): Promise<RunningControlPlane> {
  const topicPrefix = options.topicPrefix ?? uniqueName('fptest');
  const adminToken = options.adminToken ?? `fp_${uniqueName('admin')}`;
  const kafka = testKafkaSettings(topicPrefix);
  const config: AppConfig = {
    port: 0,
    host: '127.0.0.1',
    kafka: options.brokers ? { ...kafka, brokers: options.brokers } : kafka,
    databaseUrl: options.databaseUrl,
    transactionalId: options.transactionalId ?? `${topicPrefix}.writer`,
    commandTimeoutMs: options.commandTimeoutMs ?? 5000,
    instanceId: uniqueName('instance'),
    bootstrapToken: adminToken,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
  };
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const running: RunningControlPlane = { app, url, config, adminToken, stop: () => app.close() };
  if (options.waitForWriter !== false) await waitUntil(() => canAuthenticate(url, adminToken), 60_000, 'writer ready and bootstrap token issued');
  return running;
}

async function canAuthenticate(url: string, token: string): Promise<boolean> {
  const ready = await fetch(`${url}/health/ready`).then((r) => r.json() as Promise<{ checks?: { writer?: string } }>);
  if (ready.checks?.writer !== 'ready') return false;
  // Any authenticated route will do: 404 for an unknown token id means the token was accepted.
  const response = await fetch(`${url}/api/tokens/none`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  return response.status !== 401;
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
