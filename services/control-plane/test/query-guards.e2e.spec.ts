import { apiClient } from '../../../test/support/api-client';
import { mutate, startQuerySide, type Api, type QuerySide } from './support/query-side.harness';

/* Read-your-writes, bad requests, unknown resources and environment scope on the query routes. */

describe('query routes: consistency, validation, not found and scope', () => {
  let side: QuerySide;
  let api: Api;
  let stagingViewer: Api;
  let last = '0';

  beforeAll(async () => {
    side = await startQuerySide();
    api = side.api;
    await mutate(api, 'POST', '/api/environments', { key: 'production', name: 'Production', production: true });
    await mutate(api, 'POST', '/api/environments', { key: 'staging', name: 'Staging' });
    await mutate(api, 'POST', '/api/flags', { key: 'banner', name: 'Banner', tags: ['web'], owner: 'growth', kind: 'experiment' });
    await mutate(api, 'POST', '/api/flags', { key: 'billing-v2', name: 'Billing v2', tags: ['billing'], owner: 'payments', kind: 'release' });
    await mutate(api, 'POST', '/api/flags/banner/environments/production/toggle', { on: true, reason: 'production only' });
    await mutate(api, 'POST', '/api/flags/banner/environments/staging/toggle', { on: true });
    const issued = await mutate(api, 'POST', '/api/tokens', { name: 'staging-viewer', role: 'viewer', environments: ['staging'] });
    stagingViewer = apiClient(side.cp.url, String(issued.body.token));
    last = issued.token;
    await side.settle(last);
  });

  afterAll(async () => {
    await side?.stop();
  });

  it('a query carrying the consistency token of a mutation sees that mutation at once (query parameter or header)', async () => {
    for (const on of [true, false, true, false, true]) {
      const toggled = await mutate(api, 'POST', '/api/flags/billing-v2/environments/staging/toggle', { on });
      const viaQuery = await api<{ environments: Record<string, { on: boolean }> }>('GET', `/api/flags/billing-v2?consistencyToken=${toggled.token}`);
      expect(viaQuery.body.environments.staging?.on).toBe(on);
      const viaHeader = await api<{ items: { sequence: number }[] }>('GET', '/api/flags/billing-v2/history?order=desc&limit=1', undefined, { 'X-Consistency-Token': toggled.token });
      expect(viaHeader.body.items[0]?.sequence ?? 0).toBe(Number(toggled.token));
      last = toggled.token;
    }
  });

  it('lists and searches flags by tag, kind, owner, text and archived state, paging by key', async () => {
    const keys = async (query: string) => (await api<{ items: { key: string }[] }>('GET', `/api/flags${query}`)).body.items.map((f) => f.key);
    expect(await keys('')).toEqual(['banner', 'billing-v2']);
    expect(await keys('?tag=billing')).toEqual(['billing-v2']);
    expect(await keys('?kind=experiment')).toEqual(['banner']);
    expect(await keys('?owner=payments')).toEqual(['billing-v2']);
    expect(await keys('?q=BILL')).toEqual(['billing-v2']);
    expect(await keys('?q=_')).toEqual([]);
    expect(await keys('?archived=true')).toEqual([]);
    const first = await api<{ items: { key: string }[]; nextCursor: string }>('GET', '/api/flags?limit=1');
    expect(first.body.items.map((f) => f.key)).toEqual(['banner']);
    const second = await api<{ items: { key: string }[]; nextCursor: string | null }>('GET', `/api/flags?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ key: 'billing-v2' }], nextCursor: null });
    const inProduction = await api<{ items: { key: string; environments: Record<string, { on: boolean; configured: boolean }> }[] }>('GET', '/api/flags?environment=production');
    expect(inProduction.body.items.map((f) => [f.key, f.environments])).toEqual([
      ['banner', { production: expect.objectContaining({ on: true, configured: true }) }],
      ['billing-v2', { production: expect.objectContaining({ on: false, configured: false }) }],
    ]);
  });

  it.each([
    ['/api/flags/banner/as-of?time=yesterday', 'time'],
    ['/api/flags/banner/as-of?time=2025-03-14T14:02:00', 'time'],
    ['/api/flags/banner/as-of?time=2025-03-14T14:02:00Z&sequence=3', 'sequence'],
    ['/api/flags/banner/as-of', 'time'],
    ['/api/flags/banner/as-of?sequence=-1', 'sequence'],
    ['/api/flags/banner/as-of?sequence=999999', 'sequence'],
    ['/api/environments/production/as-of?sequence=abc', 'sequence'],
    ['/api/flags/banner/diff?from=last-week', 'from'],
    ['/api/flags/banner/diff', 'from'],
    ['/api/environments/production/diff?from=1&to=soon', 'to'],
    ['/api/audit/export?format=xml', 'format'],
    ['/api/audit?cursor=not-a-cursor', 'cursor'],
    ['/api/audit?cursor=eyJ4IjoxfQ', 'cursor'],
    ['/api/flags?cursor=eyJhZnRlciI6M30', 'cursor'],
    ['/api/flags/banner/history?cursor=%%%', 'cursor'],
    ['/api/audit?from=2025-13-45T00:00:00Z', 'from'],
    ['/api/audit?limit=lots', 'limit'],
    ['/api/audit?order=sideways', 'order'],
    ['/api/audit/verify?source=paper', 'source'],
    ['/api/flags?archived=maybe', 'archived'],
    ['/api/flags?kind=rocket', 'kind'],
    ['/api/flags/banner?consistencyToken=soon', 'consistencyToken'],
    ['/api/flags/banner?unknown=1', 'unknown'],
  ])('GET %s is a 400 naming %s', async (path, field) => {
    const response = await api<{ error: string; details: { field: string; problem: string }[] }>('GET', path);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('validation_failed');
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, problem: expect.any(String) })]));
  });

  it('explain refuses a bad point and a missing context, naming the field', async () => {
    const badAt = await api<{ details: { field: string }[] }>('POST', '/api/flags/banner/explain', { environment: 'production', context: {}, at: 'noonish' });
    expect(badAt.status).toBe(400);
    expect(badAt.body.details).toEqual([expect.objectContaining({ field: 'at' })]);
    const noContext = await api<{ details: { field: string }[] }>('POST', '/api/flags/banner/explain', { environment: 'production' });
    expect(noContext.status).toBe(400);
    expect(noContext.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'context' })]));
  });

  it.each([
    ['GET', '/api/flags/nope'],
    ['GET', '/api/flags/nope/history'],
    ['GET', '/api/flags/nope/as-of?sequence=1'],
    ['GET', '/api/flags/nope/diff?from=1'],
    ['POST', '/api/flags/nope/explain'],
    ['GET', '/api/environments/nowhere/as-of?sequence=1'],
    ['GET', '/api/environments/nowhere/diff?from=1'],
  ])('%s %s of something that never existed is a 404', async (method, path) => {
    const response = await api(method, path, method === 'POST' ? { environment: 'production', context: {} } : undefined);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'not_found' });
  });

  it('query routes need a valid token, of any role', async () => {
    expect((await apiClient(side.cp.url)('GET', '/api/flags')).status).toBe(401);
    expect((await apiClient(side.cp.url, 'fp_wrong')('GET', '/api/audit')).status).toBe(401);
    expect((await stagingViewer('GET', '/api/flags')).status).toBe(200);
  });

  it('a token scoped to staging cannot read production as of a point, nor production’s configuration or audit rows', async () => {
    expect((await stagingViewer('GET', `/api/environments/production/as-of?sequence=${last}`)).status).toBe(403);
    expect((await stagingViewer('GET', `/api/environments/production/diff?from=1`)).status).toBe(403);
    expect((await stagingViewer('GET', `/api/environments/staging/as-of?sequence=${last}`)).status).toBe(200);
    expect((await stagingViewer('GET', '/api/flags?environment=production')).status).toBe(403);
    expect((await stagingViewer('GET', `/api/flags/banner/as-of?sequence=${last}&environment=production`)).status).toBe(403);
    expect((await stagingViewer('POST', '/api/flags/banner/explain', { environment: 'production', context: {} })).status).toBe(403);
    expect((await stagingViewer('GET', '/api/audit/export')).status).toBe(403);

    const flag = await stagingViewer<{ environments: Record<string, unknown> }>('GET', '/api/flags/banner');
    expect(Object.keys(flag.body.environments)).toEqual(['staging']);
    const asOf = await stagingViewer<{ flag: { environments: Record<string, unknown> } }>('GET', `/api/flags/banner/as-of?sequence=${last}`);
    expect(Object.keys(asOf.body.flag.environments)).toEqual(['staging']);
    const history = await stagingViewer<{ items: { eventType: string; reason: string | null }[] }>('GET', '/api/flags/banner/history');
    expect(history.body.items.map((r) => r.eventType)).toEqual(['FlagCreated', 'FlagToggled']);
    const audit = await stagingViewer<{ items: { aggregateId: string; aggregateType: string; eventType: string; reason: string | null }[] }>('GET', '/api/audit?limit=500');
    expect(audit.body.items.some((r) => r.aggregateId === 'environment:production' || r.aggregateType === 'token' || r.reason === 'production only')).toBe(false);
    expect(audit.body.items.some((r) => r.aggregateId === 'environment:staging')).toBe(true);
  });

  it('when the projector cannot catch up within the wait, a query with a token answers 503 projection_lagging with Retry-After', async () => {
    await side.projector.stop();
    const written = await mutate(api, 'POST', '/api/flags/banner/environments/staging/toggle', { on: false });
    const started = Date.now();
    const response = await api('GET', `/api/flags/banner?consistencyToken=${written.token}`);
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ error: 'projection_lagging' });
    expect(response.headers.get('retry-after')).toBe('1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
    // Without a token the last projected state is served.
    expect((await api('GET', '/api/flags/banner')).status).toBe(200);
  });
});
