import { apiClient } from '../../../test/support/api-client';
import { readEvents } from '../../../test/support/kafka-topics';
import { mutate, sleep, startQuerySide, type Api, type QuerySide } from './support/query-side.harness';

/**
 * The approval workflow through HTTP against the real broker and database, with a projector
 * feeding the lists and the compliance query. One environment pair per suite; every test opens
 * its own requests on its own flag so they stay independent.
 */
describe('approvals: change requests gate high-risk changes', () => {
  let side: QuerySide;
  let admin: Api;
  const tokens: Record<string, { api: Api; actor: string }> = {};
  const periodStart = new Date().toISOString();

  const toggleChange = (flag: string, on = true) => ({ type: 'ToggleFlag', data: { key: flag, environment: 'production', on } });

  async function issue(name: string, role: string, environments: string[] | '*') {
    const issued = await mutate(admin, 'POST', '/api/tokens', { name, role, environments });
    tokens[name] = { api: apiClient(side.cp.url, String(issued.body.token)), actor: `token:${String(issued.body.tokenId)}` };
  }

  async function flag(key: string, tags: string[] = []) {
    await mutate(admin, 'POST', '/api/flags', { key, name: key, tags });
  }

  async function open(as: string, changes: unknown[], extra: Record<string, unknown> = {}): Promise<string> {
    const opened = await tokens[as]!.api('POST', '/api/change-requests', { title: `change ${changes.length}`, changes, ...extra });
    expect(opened.status).toBe(201);
    return String(opened.body.changeRequestId);
  }

  const review = (as: string, id: string, decision: 'approve' | 'decline', comment?: string) => tokens[as]!.api('POST', `/api/change-requests/${id}/reviews`, { decision, comment });
  const apply = (as: string, id: string) => tokens[as]!.api('POST', `/api/change-requests/${id}/apply`, {});
  const detail = (id: string) => admin('GET', `/api/change-requests/${id}`);

  beforeAll(async () => {
    side = await startQuerySide();
    admin = side.api;
    await mutate(admin, 'POST', '/api/environments', { key: 'production', name: 'Production', production: true });
    await mutate(admin, 'POST', '/api/environments', { key: 'staging', name: 'Staging' });
    await issue('author', 'editor', ['production', 'staging']);
    await issue('grace', 'approver', ['production']);
    await issue('alan', 'approver', ['production']);
    await issue('stagingApprover', 'approver', ['staging']);
    await issue('viewer', 'viewer', '*');
    await issue('stagingAdmin', 'admin', ['staging']);
    await issue('globalAdmin', 'admin', '*');
    const policy = await admin('PUT', '/api/environments/production/approval-policy', {
      requiredApprovals: 2,
      declineBlocks: true,
      rules: { toggles: true, rolloutIncreaseAbove: 20, archive: true, flagTags: ['critical'] },
    });
    expect(policy.status).toBe(200);
  });

  afterAll(async () => {
    await side?.stop();
  });

  it('refuses a direct high-risk change with its reasons and how to open a request; nothing is written', async () => {
    await flag('kill-switch', ['critical']);
    const before = (await readEvents(side.prefix)).length;
    const refused = await tokens.author!.api('POST', '/api/flags/kill-switch/environments/production/toggle', { on: true });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'approval_required',
      details: [
        { rule: 'toggle', environment: 'production', field: 'rules.toggles', problem: 'turns flag "kill-switch" on in "production"' },
        { rule: 'flag_tag', environment: 'production', field: 'rules.flagTags', problem: 'flag "kill-switch" is tagged "critical"' },
      ],
      changeRequest: { method: 'POST', path: '/api/change-requests', body: { changes: [{ type: 'ToggleFlag', data: { key: 'kill-switch', environment: 'production', on: true }, baseVersion: 1 }] } },
    });
    expect(await readEvents(side.prefix)).toHaveLength(before);
  });

  it('lets a low-risk change through: another environment, a small rollout step', async () => {
    await flag('banner');
    expect((await tokens.author!.api('POST', '/api/flags/banner/environments/staging/toggle', { on: true })).status).toBe(200);
    const config = (on: number) => ({
      on: false,
      offVariant: 'off',
      fallthrough: { rollout: { variants: [{ variant: 'on', weight: on * 1000 }, { variant: 'off', weight: 100_000 - on * 1000 }] } },
    });
    expect((await tokens.author!.api('PUT', '/api/flags/banner/environments/production', config(10))).status).toBe(200);
    expect((await tokens.author!.api('PUT', '/api/flags/banner/environments/production', config(30))).status).toBe(200);
    const jump = await tokens.author!.api('PUT', '/api/flags/banner/environments/production', config(80));
    expect(jump.status).toBe(409);
    expect(jump.body.details).toEqual([expect.objectContaining({ rule: 'rollout_increase', problem: 'fallthrough serves variant "on" to 80% instead of 30% (+50 points, more than 20)' })]);
  });

  it('needs two distinct approvers: one is not enough; then applies the change and the request in one transaction', async () => {
    await flag('checkout');
    const id = await open('author', [toggleChange('checkout')], { reason: 'launch' });
    expect((await review('grace', id, 'approve', 'looks good')).status).toBe(200);
    const early = await apply('author', id);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'approval_required', message: expect.stringContaining('1 of 2 required approvals') });
    expect((await review('grace', id, 'approve')).status).toBe(409); // a reviewer counts once
    expect((await review('alan', id, 'approve')).status).toBe(200);
    expect((await detail(id)).body).toMatchObject({ status: 'approved', approval: { requiredApprovals: 2, approvals: [tokens.grace!.actor, tokens.alan!.actor] } });

    const applied = await apply('author', id);
    expect(applied.status).toBe(200);
    expect(applied.body.events).toEqual([
      expect.objectContaining({ type: 'ChangeRequestApplied' }),
      expect.objectContaining({ type: 'FlagToggled' }),
    ]);
    const events = await readEvents(side.prefix);
    const appliedEvent = events.find((e) => e.type === 'ChangeRequestApplied' && e.aggregateId === `change-request:${id}`)!;
    const toggled = events.find((e) => e.type === 'FlagToggled' && e.aggregateId === 'flag:checkout')!;
    expect(toggled).toMatchObject({ changeRequestId: id, sequence: appliedEvent.sequence + 1, correlationId: appliedEvent.correlationId, actor: { id: tokens.author!.actor } });
    expect(appliedEvent.data).toMatchObject({ approvals: [tokens.grace!.actor, tokens.alan!.actor], requiredApprovals: 2, scheduled: false });
    expect((await apply('author', id)).status).toBe(409); // applied exactly once

    // The flag's history names the request and the approvers behind the applied event.
    const history = await admin('GET', `/api/flags/checkout/history?order=desc&consistencyToken=${String(applied.body.consistencyToken)}`);
    expect(history.status).toBe(200);
    const items = history.body.items as { eventType: string; changeRequestId: string | null; approval: unknown }[];
    expect(items.find((e) => e.eventType === 'FlagToggled')).toMatchObject({
      changeRequestId: id,
      approval: {
        changeRequestId: id,
        title: 'change 1',
        author: { id: tokens.author!.actor },
        requiredApprovals: 2,
        approvedBy: [
          { reviewer: { id: tokens.grace!.actor }, comment: 'looks good' },
          { reviewer: { id: tokens.alan!.actor } },
        ],
        appliedSequence: appliedEvent.sequence,
      },
    });
    expect(items.find((e) => e.eventType === 'FlagCreated')).toMatchObject({ changeRequestId: null, approval: null });
  });

  it('refuses self-approval', async () => {
    await flag('self');
    const id = await open('grace', [toggleChange('self')]);
    const self = await review('grace', id, 'approve');
    expect(self.status).toBe(403);
    expect(self.body).toMatchObject({ error: 'forbidden', message: expect.stringContaining('author') });
  });

  it('closes a request on one decline when the policy says so', async () => {
    await flag('declined');
    const id = await open('author', [toggleChange('declined')]);
    expect((await review('grace', id, 'decline', 'not during the sale')).status).toBe(200);
    expect((await detail(id)).body).toMatchObject({ status: 'declined', reviews: [{ decision: 'decline', comment: 'not during the sale' }] });
    expect((await review('alan', id, 'approve')).status).toBe(409);
    expect((await apply('author', id)).status).toBe(409);
  });

  it('marks a request stale when the flag moved on: 409, and nothing of it is written', async () => {
    await flag('stale');
    const id = await open('author', [toggleChange('stale')]);
    await review('grace', id, 'approve');
    await review('alan', id, 'approve');
    await mutate(tokens.author!.api, 'PATCH', '/api/flags/stale', { description: 'moved on meanwhile' });
    const refused = await apply('author', id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'version_conflict', details: [{ field: 'flag:stale', problem: 'based on version 1, now at 2' }] });
    expect((await detail(id)).body).toMatchObject({ status: 'stale', conflicts: [{ aggregateId: 'flag:stale', baseVersion: 1, currentVersion: 2 }] });
    const events = await readEvents(side.prefix);
    expect(events.filter((e) => e.aggregateId === 'flag:stale').map((e) => e.type)).toEqual(['FlagCreated', 'FlagMetadataUpdated']);
    expect((await review('alan', id, 'approve')).status).toBe(409);
  });

  it('cannot apply an expired request', async () => {
    await flag('expiring');
    const id = await open('author', [toggleChange('expiring')], { expiresAt: new Date(Date.now() + 2500).toISOString() });
    await review('grace', id, 'approve');
    await review('alan', id, 'approve');
    await sleep(2600);
    const refused = await apply('author', id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'invalid_state', message: expect.stringContaining('expired') });
    expect((await detail(id)).body).toMatchObject({ status: 'expired' });
    expect((await readEvents(side.prefix)).filter((e) => e.aggregateId === 'flag:expiring').map((e) => e.type)).toEqual(['FlagCreated']);
  });

  it('cannot review a cancelled request; only the author or an admin may cancel', async () => {
    await flag('cancelled');
    const id = await open('author', [toggleChange('cancelled')]);
    expect((await tokens.grace!.api('POST', `/api/change-requests/${id}/cancel`, {})).status).toBe(403);
    expect((await tokens.author!.api('POST', `/api/change-requests/${id}/cancel`, {})).status).toBe(200);
    const refused = await review('grace', id, 'approve');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'invalid_state', message: expect.stringContaining('cancelled') });
  });

  it('lets only approver and admin tokens review, within their environment scope', async () => {
    await flag('matrix');
    const id = await open('author', [toggleChange('matrix')]);
    const matrix: [string, number][] = [
      ['viewer', 403],
      ['author', 403], // editor: the route needs approver (and it is the author)
      ['stagingApprover', 403],
      ['stagingAdmin', 403],
      ['grace', 200],
      ['globalAdmin', 200],
    ];
    for (const [who, status] of matrix) expect([who, (await review(who, id, 'approve')).status]).toEqual([who, status]);
  });

  it('shows the diff a request would apply and the current risk reasons', async () => {
    await flag('detailed', ['critical']);
    const id = await open('author', [toggleChange('detailed')]);
    const shown = await detail(id);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      status: 'open',
      environments: ['production'],
      author: { id: tokens.author!.actor },
      changes: [
        {
          type: 'ToggleFlag',
          aggregateId: 'flag:detailed',
          baseVersion: 1,
          currentVersion: 1,
          diff: [{ op: 'replace', path: '/environments/production/on', before: false, after: true }],
          risk: [expect.objectContaining({ rule: 'toggle' }), expect.objectContaining({ rule: 'flag_tag' })],
          problems: [],
        },
      ],
    });
    expect((await tokens.stagingApprover!.api('GET', `/api/change-requests/${id}`)).status).toBe(403);
  });

  it('holds back a change to a policy that requires approval, and applies it through an admin\'s request', async () => {
    const direct = await admin('PUT', '/api/environments/production/approval-policy', { requiredApprovals: 1 });
    expect(direct.status).toBe(409);
    expect(direct.body).toMatchObject({ error: 'approval_required', details: [{ rule: 'policy_change' }] });
    const current = await admin('GET', '/api/environments/production/approval-policy');
    expect(current.body).toMatchObject({ version: 1, requiresApproval: true, policy: { requiredApprovals: 2 } });
    const policy = current.body.policy as { rules: object };
    const stricter = { ...policy, rules: { ...policy.rules, variants: true } };
    const change = { type: 'SetApprovalPolicy', data: { environment: 'production', policy: stricter } };
    expect((await tokens.author!.api('POST', '/api/change-requests', { title: 'x', changes: [change] })).status).toBe(403);
    const id = await open('globalAdmin', [change]);
    await review('grace', id, 'approve');
    await review('alan', id, 'approve');
    expect((await apply('globalAdmin', id)).status).toBe(200);
    expect((await admin('GET', '/api/environments/production/approval-policy')).body).toMatchObject({ version: 2, policy: { rules: { variants: true } } });
  });

  it('lists requests from the read model by status, environment, flag, author and reviewer', async () => {
    await flag('listed');
    const id = await open('author', [toggleChange('listed')]);
    const reviewed = await review('alan', id, 'approve');
    const token = reviewed.headers.get('x-consistency-token')!;
    const query = (params: string) => admin('GET', `/api/change-requests?${params}&consistencyToken=${token}`);
    const ids = async (params: string) => ((await query(params)).body.items as { id: string }[]).map((i) => i.id);
    await side.settle(token);
    expect(await ids(`flag=listed`)).toEqual([id]);
    expect(await ids(`flag=listed&status=open&environment=production&author=${tokens.author!.actor}&reviewer=${tokens.alan!.actor}`)).toEqual([id]);
    expect(await ids(`flag=listed&status=applied`)).toEqual([]);
    expect(await ids(`flag=listed&reviewer=${tokens.grace!.actor}`)).toEqual([]);
    expect(await ids(`flag=listed&environment=staging`)).toEqual([]);
    const all = await ids('environment=production&limit=500');
    expect(all.length).toBeGreaterThanOrEqual(3);
    const first = await query('environment=production&limit=2');
    expect((first.body.items as { id: string }[]).map((i) => i.id)).toEqual(all.slice(0, 2));
    const second = await query(`environment=production&limit=2&cursor=${String(first.body.nextCursor)}`);
    expect((second.body.items as { id: string }[]).map((i) => i.id)).toEqual(all.slice(2, 4));
    expect((await query('cursor=nonsense')).status).toBe(400);
    expect((await tokens.stagingApprover!.api('GET', `/api/change-requests?flag=listed&consistencyToken=${token}`)).body.items).toEqual([]);
  });

  it('proves every applied production change in the period had its required approvals', async () => {
    await flag('audited');
    const id = await open('author', [toggleChange('audited'), { type: 'ConfigureFlagEnvironment', data: { key: 'audited', environment: 'production', config: { on: true, offVariant: 'off', rules: [{ id: 'staff', condition: { attribute: 'email', operator: 'endsWith', values: ['@example.com'] }, serve: { variant: 'on' } }], fallthrough: { variant: 'off' } } } }]);
    await review('grace', id, 'approve');
    await review('globalAdmin', id, 'approve');
    const applied = await apply('author', id);
    expect(applied.status).toBe(200);
    const token = applied.headers.get('x-consistency-token')!;
    await side.settle(token);
    const to = new Date(Date.now() + 1000).toISOString();
    const report = await admin('GET', `/api/change-requests/compliance?environment=production&from=${periodStart}&to=${to}&consistencyToken=${token}`);
    expect(report.status).toBe(200);
    expect(report.body.compliant).toBe(true);
    const changes = report.body.changes as { via: string; aggregateId: string; changeRequestId: string | null; approvers: string[]; requiredApprovals: number; problems: string[] }[];
    const throughRequests = changes.filter((c) => c.via === 'change_request');
    expect(throughRequests.length).toBeGreaterThanOrEqual(2); // audited's two changes (and checkout's when run together)
    for (const c of throughRequests) {
      expect(c.approvers.length).toBeGreaterThanOrEqual(c.requiredApprovals);
      expect(c.requiredApprovals).toBe(2);
    }
    expect(throughRequests.filter((c) => c.changeRequestId === id).map((c) => c.aggregateId)).toEqual(['flag:audited', 'flag:audited']);
    // The direct production changes (banner's small rollout steps) were re-assessed: nothing needed approval.
    expect(changes.filter((c) => c.via === 'direct' && c.aggregateId === 'flag:banner')).toHaveLength(2);
    expect(changes.every((c) => c.problems.length === 0)).toBe(true);
  });
});
