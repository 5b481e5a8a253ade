import { createKafka } from '@flagpole/kafka';
import { apiClient, type ApiResponse } from '../../../../test/support/api-client';
import { startControlPlane, type RunningControlPlane } from '../../../../test/support/control-plane.harness';
import { testKafkaSettings } from '../../../../test/support/kafka-topics';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { uniqueName } from '../../../../test/support/unique-name';
import { startProjector, waitForSequence, type RunningProjector } from '../../../projector/test/support/projector.harness';

export type Api = ReturnType<typeof apiClient>;

/** A control plane and a projector on one fresh database and one unique topic prefix, as deployed. */
export interface QuerySide {
  readonly db: TestDatabase;
  readonly cp: RunningControlPlane;
  readonly projector: RunningProjector;
  readonly prefix: string;
  /** The admin token's client. */
  readonly api: Api;
  /**
   * Waits (up to a minute) until the projector has applied `sequence`. Set-up uses it once: the
   * projector's first consumer-group join can take longer than a query's bounded wait on a
   * loaded machine; tests then read with consistency tokens like any client.
   */
  settle(sequence: number | string): Promise<void>;
  stop(): Promise<void>;
}

export async function startQuerySide(): Promise<QuerySide> {
  const prefix = uniqueName('fpq');
  const db = await createTestDatabase();
  let cp: RunningControlPlane | undefined;
  let projector: RunningProjector | undefined;
  const stop = async () => {
    await projector?.stop().catch(() => undefined);
    await cp?.stop().catch(() => undefined);
    await db.drop().catch(() => undefined);
    await deleteTopics(prefix).catch(() => undefined);
  };
  try {
    cp = await startControlPlane({ databaseUrl: db.url, topicPrefix: prefix });
    projector = await startProjector({ databaseUrl: db.url, topicPrefix: prefix });
  } catch (error) {
    await stop();
    throw error;
  }
  const running = projector;
  return { db, cp, projector, prefix, api: apiClient(cp.url, cp.adminToken), settle: (sequence) => waitForSequence(running, Number(sequence)), stop };
}

async function deleteTopics(prefix: string): Promise<void> {
  const admin = createKafka(testKafkaSettings(prefix)).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** A mutation that must succeed; returns its consistency token. */
export async function mutate(api: Api, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse & { token: string }> {
  const response = await api(method, path, body ?? {}, headers);
  if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(response.body)}`);
  return { ...response, token: response.headers.get('x-consistency-token') ?? '' };
}

/** Reads the whole body as text (exports). */
export async function fetchText(url: string, token: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
