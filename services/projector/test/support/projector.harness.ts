import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { READ_MODEL_SCHEMA } from '@flagpole/read-model';
import { testKafkaSettings } from '../../../../test/support/kafka-topics';
import { uniqueName } from '../../../../test/support/unique-name';
import type { ProjectorConfig } from '../../src/config/projector-config';
import { createApp } from '../../src/create-app';
import { ProjectorRuntime } from '../../src/projector.runtime';

export interface RunningProjector {
  readonly app: INestApplication;
  readonly url: string;
  readonly config: ProjectorConfig;
  readonly runtime: ProjectorRuntime;
  stop(): Promise<void>;
}

export interface ProjectorOptions {
  readonly databaseUrl: string;
  readonly topicPrefix: string;
  readonly schema?: string;
  readonly stallAfterMs?: number;
  readonly maxBuffered?: number;
}

/** The projector application in this process, on a random port, against the suite's own prefix and database. */
export async function startProjector(options: ProjectorOptions): Promise<RunningProjector> {
  const config: ProjectorConfig = {
    port: 0,
    host: '127.0.0.1',
    kafka: { ...testKafkaSettings(options.topicPrefix), clientId: 'flagpole-projector-test' },
    databaseUrl: options.databaseUrl,
    schema: options.schema ?? READ_MODEL_SCHEMA,
    instanceId: uniqueName('projector'),
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    maxBuffered: options.maxBuffered ?? 20_000,
    maxBatch: 5000,
    stallAfterMs: options.stallAfterMs ?? 1000,
  };
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const runtime = app.get(ProjectorRuntime);
  return { app, url: `http://127.0.0.1:${port}`, config, runtime, stop: () => app.close() };
}

/** Resolves once the projector has started its pipeline and applied `sequence`. */
export async function waitForSequence(projector: RunningProjector, sequence: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!projector.runtime.projection) {
    if (Date.now() > deadline) throw new Error('the projector did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  await projector.runtime.projection.waitForSequence(sequence, Math.max(1, deadline - Date.now()));
}

/** One sample of a Prometheus metric from /metrics (0 when absent). */
export async function metric(projector: RunningProjector, name: string, labels = ''): Promise<number> {
  const text = await fetch(`${projector.url}/metrics`).then((r) => r.text());
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').pop()) : 0;
}
