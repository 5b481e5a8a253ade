import { apiClient } from '../../../test/support/api-client';
import { fetchText, mutate, startQuerySide, type Api, type QuerySide } from './support/query-side.harness';

/*
 * A compliance officer's questions, asked only through the HTTP API, against a control plane and
 * a projector sharing one database and one topic prefix (as deployed).
 */

interface AuditRow {
  readonly sequence: number;
  readonly eventType: string;
  readonly aggregateId: string;
  readonly version: number;
  readonly time: string;
  readonly actorName: string;
  readonly reason: string | null;
  readonly diff: readonly { op: string; path: string; before?: unknown; after?: unknown }[];
  readonly hash: string;
}
interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

describe('compliance walk-through over HTTP', () => {
  let side: QuerySide;
  let admin: Api;
  let auditor: Api;
  let auditorSecret: string;
  const seq: Record<string, number> = {};
  let last = '0';

  const launch = {
    on: true,
    offVariant: 'off',
    rules: [{ id: 'internal', condition: { attribute: 'email', operator: 'endsWith', values: ['@example.com'] }, serve: { variant: 'on' } }],
    fallthrough: { variant: 'off' },
  };
  const widened = {
    ...launch,
    rules: [...launch.rules, { id: 'beta-countries', condition: { attribute: 'country', operator: 'in', values: ['NL', 'DE'] }, serve: { variant: 'on' } }],
  };

  beforeAll(async () => {
    side = await startQuerySide();
    admin = side.api;
    await mutate(admin, 'POST', '/api/environments', { key: 'production', name: 'Production', production: true });
    await mutate(admin, 'POST', '/api/environments', { key: 'staging', name: 'Staging' });
    const issued = await mutate(admin, 'POST', '/api/tokens', { name: 'compliance-officer', role: 'viewer', environments: '*' });
    auditorSecret = String(issued.body.token);
    auditor = apiClient(side.cp.url, auditorSecret);

    seq.created = Number((await mutate(admin, 'POST', '/api/flags', { key: 'new-checkout', name: 'New checkout', kind: 'release', tags: ['checkout'], owner: 'payments', reason: 'JIRA-1 new checkout' })).token);
    seq.launched = Number((await mutate(admin, 'PUT', '/api/flags/new-checkout/environments/production', { ...launch, reason: 'launch to employees' }, { 'If-Match': '"1"' })).token);
    seq.widened = Number((await mutate(admin, 'PUT', '/api/flags/new-checkout/environments/production', { ...widened, reason: 'beta in NL and DE' }, { 'If-Match': '"2"' })).token);
    seq.killed = Number((await mutate(admin, 'POST', '/api/flags/new-checkout/environments/production/toggle', { on: false, reason: 'incident 42' })).token);
    const archived = await mutate(admin, 'POST', '/api/flags/new-checkout/archive', { reason: 'rolled back for good' });
    seq.archived = Number(archived.token);
    last = archived.token;
    await side.settle(last);
  });

  afterAll(async () => {
    await side?.stop();
  });

  it('who changed the flag, when and why: its history, each change with actor, reason and a rule-level diff', async () => {
    const history = await auditor<Page<AuditRow>>('GET', `/api/flags/new-checkout/history?consistencyToken=${last}`);
    expect(history.status).toBe(200);
    expect(history.body.items.map((r) => [r.eventType, r.version, r.actorName, r.reason])).toEqual([
      ['FlagCreated', 1, 'bootstrap-admin', 'JIRA-1 new checkout'],
      ['FlagEnvironmentConfigured', 2, 'bootstrap-admin', 'launch to employees'],
      ['FlagEnvironmentConfigured', 3, 'bootstrap-admin', 'beta in NL and DE'],
      ['FlagToggled', 4, 'bootstrap-admin', 'incident 42'],
      ['FlagArchived', 5, 'bootstrap-admin', 'rolled back for good'],
    ]);
    expect(history.body.items[2]!.diff).toEqual([{ op: 'add', path: '/environments/production/rules[id=beta-countries]', after: widened.rules[1] }]);
    expect(history.body.items[3]!.diff).toEqual([{ op: 'replace', path: '/environments/production/on', before: true, after: false }]);
    const newestFirst = await auditor<Page<AuditRow>>('GET', '/api/flags/new-checkout/history?order=desc&limit=1');
    expect(newestFirst.body.items.map((r) => r.eventType)).toEqual(['FlagArchived']);
    expect(newestFirst.body.nextCursor).toEqual(expect.any(String));
  });

  it('the audit trail filters by actor, event type, aggregate and time, and pages with a cursor', async () => {
    const kills = await auditor<Page<AuditRow>>('GET', '/api/audit?actor=bootstrap-admin&type=FlagToggled');
    expect(kills.body.items).toHaveLength(1);
    expect(kills.body.items[0]).toMatchObject({ sequence: seq.killed, reason: 'incident 42', aggregateId: 'flag:new-checkout' });

    const byAggregate = await auditor<Page<AuditRow>>('GET', '/api/audit?aggregate=environment:staging');
    expect(byAggregate.body.items.map((r) => r.eventType)).toEqual(['EnvironmentCreated']);

    const all = await auditor<Page<AuditRow>>('GET', '/api/audit?limit=500');
    const time = (s: number) => all.body.items.find((r) => r.sequence === s)!.time;
    const window = await auditor<Page<AuditRow>>('GET', `/api/audit?from=${encodeURIComponent(time(seq.launched))}&to=${encodeURIComponent(time(seq.killed))}&aggregateType=flag`);
    expect(window.body.items.map((r) => r.sequence)).toEqual([seq.launched, seq.widened]);

    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof auditor<Page<AuditRow>>>> = await auditor<Page<AuditRow>>('GET', `/api/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.body.items.map((r) => r.sequence));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(Array.from({ length: Number(last) }, (_, i) => i + 1));
  });

  it('what was the flag at a past point: as-of by sequence and by time', async () => {
    const atLaunch = await auditor<{ flag: { status: string; environments: Record<string, unknown> }; version: number; point: { sequence: number } }>('GET', `/api/flags/new-checkout/as-of?sequence=${seq.launched}`);
    expect(atLaunch.status).toBe(200);
    expect(atLaunch.body).toMatchObject({ version: 2, point: { sequence: seq.launched }, flag: { status: 'active', environments: { production: launch } } });

    const audit = await auditor<Page<AuditRow>>('GET', `/api/audit?aggregate=flag:new-checkout`);
    const killedAt = audit.body.items.find((r) => r.sequence === seq.killed)!.time;
    const atKill = await auditor<{ flag: { environments: Record<string, { on: boolean }> }; version: number }>('GET', `/api/flags/new-checkout/as-of?time=${encodeURIComponent(killedAt)}`);
    expect(atKill.body).toMatchObject({ version: 4, flag: { environments: { production: { ...widened, on: false } } } });

    const beforeCreation = await auditor<{ flag: unknown }>('GET', `/api/flags/new-checkout/as-of?sequence=${seq.created - 1}`);
    expect(beforeCreation.body.flag).toBeNull();
  });

  it('what was the whole production environment at a past point, and what changed in it', async () => {
    const production = await auditor<{ details: { production: boolean }; flags: { key: string; configured: boolean; config: unknown }[] }>('GET', `/api/environments/production/as-of?sequence=${seq.widened}`);
    expect(production.status).toBe(200);
    expect(production.body.details).toMatchObject({ production: true });
    expect(production.body.flags).toEqual([expect.objectContaining({ key: 'new-checkout', status: 'active', configured: true, config: widened })]);

    const diff = await auditor<{ changes: { op: string; path: string }[] }>('GET', `/api/environments/production/diff?from=${seq.launched}&to=${seq.killed}`);
    expect(diff.body.changes).toEqual([
      { op: 'replace', path: '/flags/new-checkout/config/on', before: true, after: false },
      { op: 'add', path: '/flags/new-checkout/config/rules[id=beta-countries]', after: widened.rules[1] },
    ]);
    const flagDiff = await auditor<{ changes: { op: string; path: string }[] }>('GET', `/api/flags/new-checkout/diff?from=${seq.created}&to=${seq.archived}`);
    // From the default configuration (off, fallthrough = on variant, no rules) to the archived flag.
    expect(flagDiff.body.changes).toEqual([
      { op: 'replace', path: '/environments/production/fallthrough/variant', before: 'on', after: 'off' },
      { op: 'add', path: '/environments/production/rules', after: widened.rules },
      { op: 'replace', path: '/status', before: 'active', after: 'archived' },
    ]);
  });

  it('what did a user get and why: explain now and at a past point', async () => {
    const body = { environment: 'production', context: { targetingKey: 'u-7', email: 'ada@example.com', country: 'FR' } };
    const then = await auditor('POST', '/api/flags/new-checkout/explain', { ...body, at: seq.widened });
    expect(then.status).toBe(200);
    expect(then.body).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH', ruleId: 'internal', errorCode: null, sequence: seq.widened, configuration: widened, flagVersion: 3 });

    const duringIncident = await auditor('POST', '/api/flags/new-checkout/explain', { ...body, at: seq.killed });
    expect(duringIncident.body).toMatchObject({ value: false, variant: 'off', reason: 'DISABLED' });

    const now = await auditor('POST', '/api/flags/new-checkout/explain', body);
    expect(now.body).toMatchObject({ reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', flagStatus: 'archived', sequence: Number(last), configuration: null });
  });

  it('prove nothing was altered: verify the chain in Postgres and in Kafka', async () => {
    const stored = await auditor('GET', '/api/audit/verify');
    expect(stored.body).toMatchObject({ source: 'postgres', ok: true, checked: Number(last), head: { sequence: Number(last) }, firstProblem: null });
    const log = await auditor('GET', '/api/audit/verify?source=kafka');
    expect(log.body).toMatchObject({ source: 'kafka', ok: true, checked: Number(last), firstProblem: null });
    expect((log.body.head as { hash: string }).hash).toBe((stored.body.head as { hash: string }).hash);
  });

  it('export the evidence as JSON Lines and as CSV, streamed', async () => {
    const jsonl = await fetchText(`${side.cp.url}/api/audit/export?format=jsonl`, auditorSecret);
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get('content-type')).toContain('application/x-ndjson');
    const events = jsonl.text.trimEnd().split('\n').map((l) => JSON.parse(l) as { sequence: number; type: string; hash: string; prevHash: string });
    expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: Number(last) }, (_, i) => i + 1));
    expect(events[seq.killed - 1]).toMatchObject({ type: 'FlagToggled', reason: 'incident 42', data: { environment: 'production', on: false } });

    const csv = await fetchText(`${side.cp.url}/api/audit/export?format=csv&aggregate=flag:new-checkout`, auditorSecret);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('sequence,time,event_type,aggregate_type,aggregate_id,version,actor_id,actor_name,reason,correlation_id,change_request_id,diff,prev_hash,hash,event');
    expect(lines).toHaveLength(6);
    expect(lines[4]).toContain(',FlagToggled,flag,flag:new-checkout,4,');
  });
});
