import { apiClient } from '../../../test/support/api-client';
import { startControlPlane, type RunningControlPlane } from '../../../test/support/control-plane.harness';
import { readEvents } from '../../../test/support/kafka-topics';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

interface BadCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly field: string;
  readonly problem?: RegExp;
  readonly headers?: Record<string, string>;
}

const config = (overrides: Record<string, unknown>) => ({ on: true, offVariant: 'off', fallthrough: { variant: 'on' }, ...overrides });
const rule = (condition: unknown, serve: unknown = { variant: 'on' }) => ({ id: 'r1', condition, serve });

const cases: readonly BadCase[] = [
  { name: 'environment without key', method: 'POST', path: '/api/environments', body: { name: 'X' }, field: 'key' },
  { name: 'environment key with capitals', method: 'POST', path: '/api/environments', body: { key: 'Prod', name: 'X' }, field: 'key' },
  { name: 'environment key with a dot', method: 'POST', path: '/api/environments', body: { key: 'a.b', name: 'X' }, field: 'key' },
  { name: 'environment blank name', method: 'POST', path: '/api/environments', body: { key: 'qa', name: '  ' }, field: 'name' },
  { name: 'environment production not boolean', method: 'POST', path: '/api/environments', body: { key: 'qa', name: 'QA', production: 'yes' }, field: 'production' },
  { name: 'environment unknown field', method: 'POST', path: '/api/environments', body: { key: 'qa', name: 'QA', colour: 'red' }, field: 'colour' },
  { name: 'flag without name', method: 'POST', path: '/api/flags', body: { key: 'f1' }, field: 'name' },
  { name: 'flag key with spaces', method: 'POST', path: '/api/flags', body: { key: 'f 1', name: 'F' }, field: 'key' },
  { name: 'flag key too long', method: 'POST', path: '/api/flags', body: { key: 'f'.repeat(101), name: 'F' }, field: 'key' },
  { name: 'flag unknown kind', method: 'POST', path: '/api/flags', body: { key: 'f1', name: 'F', kind: 'temporary' }, field: 'kind' },
  { name: 'flag unknown type', method: 'POST', path: '/api/flags', body: { key: 'f1', name: 'F', type: 'date' }, field: 'type' },
  { name: 'flag tags not an array', method: 'POST', path: '/api/flags', body: { key: 'f1', name: 'F', tags: 'a' }, field: 'tags' },
  { name: 'flag bad tag', method: 'POST', path: '/api/flags', body: { key: 'f1', name: 'F', tags: ['Bad Tag'] }, field: 'tags[0]' },
  { name: 'flag expiresAt not a date', method: 'POST', path: '/api/flags', body: { key: 'f1', name: 'F', expiresAt: 'soon' }, field: 'expiresAt' },
  { name: 'string flag without variants', method: 'POST', path: '/api/flags', body: { key: 'f1', name: 'F', type: 'string' }, field: 'variants' },
  { name: 'string flag with a number variant', method: 'POST', path: '/api/flags', body: { key: 'f1', name: 'F', type: 'string', variants: { a: 1 } }, field: 'variants.a' },
  { name: 'onVariant that does not exist', method: 'POST', path: '/api/flags', body: { key: 'f1', name: 'F', onVariant: 'maybe' }, field: 'onVariant' },
  { name: 'flag unknown field', method: 'POST', path: '/api/flags', body: { key: 'f1', name: 'F', actor: 'mallory' }, field: 'actor' },
  { name: 'toggle without on', method: 'POST', path: '/api/flags/known/environments/production/toggle', body: {}, field: 'on' },
  { name: 'toggle on as string', method: 'POST', path: '/api/flags/known/environments/production/toggle', body: { on: 'true' }, field: 'on' },
  { name: 'malformed If-Match', method: 'POST', path: '/api/flags/known/environments/production/toggle', body: { on: true }, field: 'If-Match', headers: { 'If-Match': 'latest' } },
  { name: 'If-Match disagreeing with expectedVersion', method: 'POST', path: '/api/flags/known/environments/production/toggle', body: { on: true, expectedVersion: 2 }, field: 'expectedVersion', headers: { 'If-Match': '"1"' } },
  { name: 'negative expectedVersion', method: 'POST', path: '/api/flags/known/environments/production/toggle', body: { on: true, expectedVersion: -1 }, field: 'expectedVersion' },
  { name: 'config without fallthrough', method: 'PUT', path: '/api/flags/known/environments/production', body: { on: true, offVariant: 'off' }, field: 'fallthrough' },
  { name: 'config unknown off variant', method: 'PUT', path: '/api/flags/known/environments/production', body: config({ offVariant: 'nope' }), field: 'config.offVariant' },
  { name: 'config rule serving unknown variant', method: 'PUT', path: '/api/flags/known/environments/production', body: config({ rules: [rule({ attribute: 'country', operator: 'in', values: ['US'] }, { variant: 'x' })] }), field: 'config.rules[0].serve.variant' },
  { name: 'config unknown operator', method: 'PUT', path: '/api/flags/known/environments/production', body: config({ rules: [rule({ attribute: 'country', operator: 'like', values: ['US'] })] }), field: 'config.rules[0].condition.operator' },
  { name: 'config semver operator with a non-version', method: 'PUT', path: '/api/flags/known/environments/production', body: config({ rules: [rule({ attribute: 'app', operator: 'semverGt', values: ['one'] })] }), field: 'config.rules[0].condition.values[0]' },
  { name: 'config bad CIDR', method: 'PUT', path: '/api/flags/known/environments/production', body: config({ rules: [rule({ attribute: 'ip', operator: 'cidr', values: ['10.0.0.0/99'] })] }), field: 'config.rules[0].condition.values[0]' },
  { name: 'config invalid regular expression', method: 'PUT', path: '/api/flags/known/environments/production', body: config({ rules: [rule({ attribute: 'email', operator: 'matches', values: ['(unclosed'] })] }), field: 'config.rules[0].condition.values[0]' },
  { name: 'config rollout weights not summing to 100000', method: 'PUT', path: '/api/flags/known/environments/production', body: config({ fallthrough: { rollout: { variants: [{ variant: 'on', weight: 50000 }, { variant: 'off', weight: 40000 }] } } }), field: 'config.fallthrough.rollout.variants' },
  { name: 'config nested condition with a bad date', method: 'PUT', path: '/api/flags/known/environments/production', body: config({ rules: [rule({ all: [{ any: [{ attribute: 'signup', operator: 'after', values: ['last tuesday'] }] }] })] }), field: 'config.rules[0].condition.all[0].any[0].values[0]' },
  { name: 'config unknown segment', method: 'PUT', path: '/api/flags/known/environments/production', body: config({ rules: [rule({ attribute: 'targetingKey', operator: 'segment', values: ['ghosts'] })] }), field: 'config.rules[0].condition.values[0]' },
  { name: 'config prerequisite on itself', method: 'PUT', path: '/api/flags/known/environments/production', body: config({ prerequisites: [{ flag: 'known', variants: ['on'] }] }), field: 'config.prerequisites[0].flag' },
  { name: 'config prerequisite on unknown flag', method: 'PUT', path: '/api/flags/known/environments/production', body: config({ prerequisites: [{ flag: 'nobody', variants: ['on'] }] }), field: 'config.prerequisites[0].flag' },
  { name: 'segment without name', method: 'POST', path: '/api/environments/production/segments', body: { key: 's1' }, field: 'name' },
  { name: 'segment included not an array', method: 'POST', path: '/api/environments/production/segments', body: { key: 's1', name: 'S', included: 'u1' }, field: 'included' },
  { name: 'token unknown role', method: 'POST', path: '/api/tokens', body: { name: 't', role: 'root', environments: '*' }, field: 'role' },
  { name: 'token unknown environment', method: 'POST', path: '/api/tokens', body: { name: 't', role: 'viewer', environments: ['nowhere'] }, field: 'environments[0]' },
  { name: 'token expiry in the past', method: 'POST', path: '/api/tokens', body: { name: 't', role: 'viewer', environments: '*', expiresAt: '2001-01-01T00:00:00Z' }, field: 'expiresAt' },
  { name: 'variants replaced by an empty set', method: 'PUT', path: '/api/flags/known/variants', body: { variants: {} }, field: 'variants' },
];

describe('bad requests get a 400 naming the field, and nothing is written', () => {
  let db: TestDatabase;
  let cp: RunningControlPlane;
  let api: ReturnType<typeof apiClient>;
  let eventsBefore: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    cp = await startControlPlane({ databaseUrl: db.url });
    api = apiClient(cp.url, cp.adminToken);
    await api('POST', '/api/environments', { key: 'production', name: 'Production' });
    await api('POST', '/api/flags', { key: 'known', name: 'Known' });
    eventsBefore = (await readEvents(cp.config.kafka.topicPrefix)).length;
  });
  afterAll(async () => {
    await cp?.stop();
    await db?.drop();
  });

  it.each(cases)('$name → 400 naming $field', async ({ method, path, body, field, headers }) => {
    const response = await api<{ error: string; details: { field: string; problem: string }[] }>(method, path, body, headers);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('validation_failed');
    expect(response.body.details.map((d) => d.field)).toContain(field);
    for (const detail of response.body.details) expect(detail.problem.length).toBeGreaterThan(3);
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const response = await api('POST', '/api/flags', '{"key": ');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'malformed_json' });
  });

  it('reports every problem of a request at once', async () => {
    const response = await api<{ details: { field: string }[] }>('PUT', '/api/flags/known/environments/production', {
      on: true,
      offVariant: 'nope',
      fallthrough: { variant: 'nada' },
      rules: [rule({ attribute: 'v', operator: 'semverGt', values: ['x'] })],
    });
    expect(response.status).toBe(400);
    expect(response.body.details.map((d) => d.field)).toEqual(
      expect.arrayContaining(['config.offVariant', 'config.fallthrough.variant', 'config.rules[0].condition.values[0]']),
    );
  });

  it('wrote no event for any of them', async () => {
    expect((await readEvents(cp.config.kafka.topicPrefix)).length).toBe(eventsBefore);
  });
});
