import type { EventEnvelope } from '@flagpole/domain';
import { apiClient } from '../../../test/support/api-client';
import { startControlPlane, waitUntil, type RunningControlPlane } from '../../../test/support/control-plane.harness';
import { readEvents } from '../../../test/support/kafka-topics';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { uniqueName } from '../../../test/support/unique-name';

/**
 * Scheduled apply with two control-plane instances sharing the writer lease, one of them
 * restarted around the scheduled time: the request is applied once, by whichever holds the lease.
 */
describe('approvals: scheduled apply happens exactly once across restarts and instances', () => {
  let db: TestDatabase;
  const prefix = uniqueName('fpsched');
  const running = new Set<RunningControlPlane>();

  async function start(adminToken?: string): Promise<RunningControlPlane> {
    const cp = await startControlPlane({ databaseUrl: db.url, topicPrefix: prefix, adminToken, waitForWriter: adminToken === undefined });
    running.add(cp);
    return cp;
  }

  async function stop(cp: RunningControlPlane): Promise<void> {
    running.delete(cp);
    await cp.stop();
  }

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    for (const cp of running) await cp.stop().catch(() => undefined);
    await db?.drop();
  });

  const leaderOf = async (instances: RunningControlPlane[]) => {
    let leader: RunningControlPlane | undefined;
    await waitUntil(async () => {
      for (const cp of instances) {
        const ready = (await fetch(`${cp.url}/health/ready`).then((r) => r.json())) as { checks?: { writer?: string } };
        if (ready.checks?.writer === 'ready') leader = cp;
      }
      return leader !== undefined;
    }, 30_000, 'a writer');
    return leader!;
  };

  it('applies an approved request at its time, once, while the leader restarts', async () => {
    const first = await start();
    const admin = apiClient(first.url, first.adminToken);
    const ok = async (method: string, path: string, body: unknown, api = admin) => {
      const response = await api(method, path, body);
      if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    };
    await ok('POST', '/api/environments', { key: 'production', name: 'Production', production: true });
    await ok('POST', '/api/flags', { key: 'launch', name: 'Launch' });
    await ok('PUT', '/api/environments/production/approval-policy', { requiredApprovals: 1, rules: { toggles: true } });
    const approver = await ok('POST', '/api/tokens', { name: 'approver', role: 'approver', environments: ['production'] });
    const applyAt = new Date(Date.now() + 8000).toISOString();
    const opened = await ok('POST', '/api/change-requests', {
      title: 'Launch at the announced time',
      applyAt,
      changes: [{ type: 'ToggleFlag', data: { key: 'launch', environment: 'production', on: true } }],
    });
    const id = String(opened.changeRequestId);
    await ok('POST', `/api/change-requests/${id}/reviews`, { decision: 'approve' }, apiClient(first.url, String(approver.token)));
    expect((await admin('POST', `/api/change-requests/${id}/apply`, {})).status).toBe(409); // not before its time

    // A second instance follows; the first one restarts before the scheduled time.
    const second = await start(first.adminToken);
    await stop(first);
    const restarted = await start(first.adminToken);
    const instances = [second, restarted];
    await leaderOf(instances);

    const appliedEvents = async () => (await readEvents(prefix)).filter((e: EventEnvelope) => e.changeRequestId === id || e.aggregateId === `change-request:${id}`);
    await waitUntil(async () => (await appliedEvents()).some((e) => e.type === 'ChangeRequestApplied'), 30_000, 'the scheduled apply');
    const applied = (await appliedEvents()).find((e) => e.type === 'ChangeRequestApplied')!;
    expect(applied.time >= applyAt).toBe(true);
    expect(applied).toMatchObject({ actor: { id: 'system:scheduler' }, data: { scheduled: true } });

    // Several more scheduler ticks on both instances, and another restart of the leader: still once.
    await stop(await leaderOf(instances));
    const third = await start(first.adminToken);
    await leaderOf([...running]);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await appliedEvents()).map((e) => e.type)).toEqual(['ChangeRequestOpened', 'ChangeRequestReviewed', 'ChangeRequestApproved', 'ChangeRequestApplied', 'FlagToggled']);
    const detail = await apiClient(third.url, first.adminToken)('GET', `/api/change-requests/${id}`);
    expect(detail.body).toMatchObject({ status: 'applied' });
  });
});
