import { apiClient } from '../../../test/support/api-client';
import { startControlPlane, type RunningControlPlane } from '../../../test/support/control-plane.harness';
import { readEvents } from '../../../test/support/kafka-topics';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

describe('bearer tokens: 401 without a valid token, 403 outside role or scope', () => {
  let db: TestDatabase;
  let cp: RunningControlPlane;
  let admin: ReturnType<typeof apiClient>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    cp = await startControlPlane({ databaseUrl: db.url });
    admin = apiClient(cp.url, cp.adminToken);
    await admin('POST', '/api/environments', { key: 'production', name: 'Production' });
    await admin('POST', '/api/environments', { key: 'staging', name: 'Staging' });
    await admin('POST', '/api/flags', { key: 'f', name: 'F' });
    for (const [name, role, environments] of [
      ['viewer', 'viewer', '*'],
      ['staging-editor', 'editor', ['staging']],
      ['editor', 'editor', '*'],
    ] as const) {
      const issued = await admin<{ token: string; tokenId: string }>('POST', '/api/tokens', { name, role, environments });
      expect(issued.status).toBe(201);
      expect(issued.body.token).toMatch(/^fp_/);
      tokens[name] = issued.body.token;
    }
  });
  afterAll(async () => {
    await cp?.stop();
    await db?.drop();
  });

  const toggle = (token: string | undefined, env: string) => apiClient(cp.url, token)('POST', `/api/flags/f/environments/${env}/toggle`, { on: true });

  it('answers 401 without a token, with an unknown one, and with a malformed header', async () => {
    expect((await toggle(undefined, 'staging')).status).toBe(401);
    expect((await toggle('fp_unknown', 'staging')).status).toBe(401);
    const malformed = await apiClient(cp.url)('POST', '/api/flags/f/environments/staging/toggle', { on: true }, { authorization: 'Token abc' });
    expect(malformed.status).toBe(401);
    expect(malformed.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 403 to a viewer making a change', async () => {
    const response = await toggle(tokens.viewer, 'staging');
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'forbidden' });
  });

  it('lets an editor scoped to staging change staging but not production', async () => {
    expect((await toggle(tokens['staging-editor'], 'staging')).status).toBe(200);
    expect((await toggle(tokens['staging-editor'], 'production')).status).toBe(403);
  });

  it('keeps changes that reach every environment to tokens scoped to "*"', async () => {
    const scoped = apiClient(cp.url, tokens['staging-editor']);
    expect((await scoped('POST', '/api/flags/f/archive', {})).status).toBe(403);
    expect((await apiClient(cp.url, tokens.editor)('POST', '/api/environments/staging/segments', { key: 's', name: 'S' })).status).toBe(201);
  });

  it('keeps environments and tokens to admins', async () => {
    const editor = apiClient(cp.url, tokens.editor);
    expect((await editor('POST', '/api/environments', { key: 'qa', name: 'QA' })).status).toBe(403);
    expect((await editor('POST', '/api/tokens', { name: 'x', role: 'admin', environments: '*' })).status).toBe(403);
  });

  it('records the token as the actor, whatever the body says', async () => {
    await apiClient(cp.url, tokens.editor)('POST', '/api/flags/f/environments/production/toggle', { on: true });
    const events = await readEvents(cp.config.kafka.topicPrefix);
    const last = events.filter((e) => e.type === 'FlagToggled').pop();
    expect(last?.actor.name).toBe('editor');
    expect(last?.actor.id).toMatch(/^token:tok_/);
  });

  it('stops accepting a revoked token at once, and stores only its hash', async () => {
    const issued = await admin<{ token: string; tokenId: string }>('POST', '/api/tokens', { name: 'short-lived', role: 'editor', environments: '*' });
    expect((await toggle(issued.body.token, 'staging')).status).toBe(200);
    expect((await admin('DELETE', `/api/tokens/${issued.body.tokenId}`)).status).toBe(200);
    expect((await toggle(issued.body.token, 'staging')).status).toBe(401);
    const logged = JSON.stringify(await readEvents(cp.config.kafka.topicPrefix));
    expect(logged).not.toContain(issued.body.token);
  });
});
