import { evaluateFlag, InMemoryFlagStore, type EvaluationContext, type FlagEnvironmentConfig, type SegmentDefinition } from '@flagpole/evaluation';
import { mutate, sleep, startQuerySide, type QuerySide } from './support/query-side.harness';

/*
 * A flag changed five times (and a segment it uses changed in between): as-of at every instant,
 * by sequence and by time, gives that instant's configuration, and explain gives exactly what
 * the evaluation engine computes from that configuration — checked against the engine fed
 * directly with what the test sent, not with anything the control plane returned.
 */

interface Instant {
  readonly label: string;
  readonly sequence: number;
  time: string;
  /** The production configuration in force (undefined = never configured: the default). */
  readonly config: FlagEnvironmentConfig | undefined;
  readonly vip: readonly string[];
  readonly version: number;
}

const variants = { basic: 'basic', premium: 'premium', regional: 'regional' };
const defaultConfig: FlagEnvironmentConfig = { on: false, offVariant: 'basic', fallthrough: { variant: 'premium' } };
const contexts: readonly EvaluationContext[] = [
  { targetingKey: 'u-1', country: 'FR' },
  { targetingKey: 'u-2', country: 'NL' },
  { targetingKey: 'u-3', country: 'NL' },
  { targetingKey: 'u-4', country: 'US' },
];

/** What the engine serves a context for a configuration and segment, computed without the control plane. */
function engineAnswer(config: FlagEnvironmentConfig | undefined, vip: readonly string[], context: EvaluationContext, now: number) {
  const store = new InMemoryFlagStore('production');
  const segment: SegmentDefinition = { key: 'vip', included: [...vip] };
  store.putSegment(segment);
  store.putFlag({ key: 'plan', type: 'string', variants, environments: { production: config ?? defaultConfig } });
  const result = evaluateFlag(store, 'plan', context, null, { now });
  return { value: result.value, variant: result.variant ?? null, reason: result.reason, ruleId: result.ruleId ?? null, errorCode: result.errorCode ?? null };
}

describe('time travel: a flag changed five times', () => {
  let side: QuerySide;
  const instants: Instant[] = [];

  beforeAll(async () => {
    side = await startQuerySide();
    const { api } = side;
    await mutate(api, 'POST', '/api/environments', { key: 'production', name: 'Production', production: true });
    await mutate(api, 'POST', '/api/environments/production/segments', { key: 'vip', name: 'VIP', included: ['u-1'] });
    let vip: readonly string[] = ['u-1'];
    let config: FlagEnvironmentConfig | undefined;
    let version = 1;
    const record = (label: string, token: string) => instants.push({ label, sequence: Number(token), time: '', config, vip, version });
    record('created', (await mutate(api, 'POST', '/api/flags', { key: 'plan', name: 'Plan', type: 'string', variants, onVariant: 'premium', offVariant: 'basic' })).token);

    const changes: [string, () => Promise<string>][] = [
      ['on, everyone basic', async () => put({ on: true, offVariant: 'basic', fallthrough: { variant: 'basic' } })],
      ['vip get premium', async () => put({ on: true, offVariant: 'basic', rules: [{ id: 'vip', condition: { attribute: 'targetingKey', operator: 'segment', values: ['vip'] }, serve: { variant: 'premium' } }], fallthrough: { variant: 'basic' } })],
      ['segment grows', async () => {
        vip = ['u-1', 'u-2'];
        return (await mutate(api, 'PUT', '/api/environments/production/segments/vip', { name: 'VIP', included: [...vip] })).token;
      }],
      ['NL regional, half premium', async () =>
        put({
          on: true,
          offVariant: 'basic',
          rules: [
            { id: 'vip', condition: { attribute: 'targetingKey', operator: 'segment', values: ['vip'] }, serve: { variant: 'premium' } },
            { id: 'nl', condition: { attribute: 'country', operator: 'in', values: ['NL'] }, serve: { variant: 'regional' } },
          ],
          fallthrough: { rollout: { variants: [{ variant: 'basic', weight: 50_000 }, { variant: 'premium', weight: 50_000 }] } },
        })],
      ['kill switch', async () => {
        config = { ...config!, on: false };
        version += 1;
        return (await mutate(api, 'POST', '/api/flags/plan/environments/production/toggle', { on: false, reason: 'incident' })).token;
      }],
      ['back on, u-4 targeted', async () =>
        put({ on: true, offVariant: 'basic', targets: [{ variant: 'premium', values: ['u-4'] }], rules: [{ id: 'nl', condition: { attribute: 'country', operator: 'in', values: ['NL'] }, serve: { variant: 'regional' } }], fallthrough: { variant: 'basic' } })],
    ];
    async function put(next: FlagEnvironmentConfig): Promise<string> {
      config = next;
      version += 1;
      return (await mutate(api, 'PUT', '/api/flags/plan/environments/production', next)).token;
    }
    for (const [label, change] of changes) {
      // Events are stamped with the request's time; keep instants apart so each time is its own.
      await sleep(15);
      record(label, await change());
    }
    await side.settle(instants[instants.length - 1]!.sequence);
    // Times as recorded by the writer, read from the audit trail.
    const audit = await api<{ items: { sequence: number; time: string }[] }>('GET', `/api/audit?limit=500&consistencyToken=${instants[instants.length - 1]!.sequence}`);
    for (const instant of instants) instant.time = audit.body.items.find((r) => r.sequence === instant.sequence)!.time;
  });

  afterAll(async () => {
    await side?.stop();
  });

  it('records six instants with five flag changes and one segment change', () => {
    expect(instants.map((i) => i.version)).toEqual([1, 2, 3, 3, 4, 5, 6]);
    expect(new Set(instants.map((i) => i.time)).size).toBe(instants.length);
  });

  it('as-of by sequence returns the configuration in force after each change', async () => {
    for (const instant of instants) {
      const asOf = await side.api<{ version: number; flag: { environments: Record<string, unknown> } }>('GET', `/api/flags/plan/as-of?sequence=${instant.sequence}`);
      expect({ label: instant.label, version: asOf.body.version, production: asOf.body.flag.environments.production }).toEqual({ label: instant.label, version: instant.version, production: instant.config });
    }
  });

  it('as-of by time returns the same at each instant, and the earlier state just before it', async () => {
    for (const [i, instant] of instants.entries()) {
      const at = await side.api<{ version: number; point: { sequence: number } }>('GET', `/api/flags/plan/as-of?time=${encodeURIComponent(instant.time)}`);
      expect({ label: instant.label, version: at.body.version, sequence: at.body.point.sequence }).toEqual({ label: instant.label, version: instant.version, sequence: instant.sequence });
      if (i === 0) continue;
      const justBefore = new Date(Date.parse(instant.time) - 1).toISOString();
      const before = await side.api<{ version: number }>('GET', `/api/flags/plan/as-of?time=${encodeURIComponent(justBefore)}`);
      expect({ label: instant.label, version: before.body.version }).toEqual({ label: instant.label, version: instants[i - 1]!.version });
    }
  });

  it('explain at each instant answers what the engine would have served then, for every context', async () => {
    for (const instant of instants) {
      for (const context of contexts) {
        for (const at of [instant.sequence, instant.time]) {
          const explained = await side.api('POST', '/api/flags/plan/explain', { environment: 'production', context, at });
          expect(explained.status).toBe(200);
          const { value, variant, reason, ruleId, errorCode } = explained.body;
          expect({ label: instant.label, context, at, answer: { value, variant, reason, ruleId, errorCode } }).toEqual({
            label: instant.label,
            context,
            at,
            answer: engineAnswer(instant.config, instant.vip, context, Date.parse(instant.time)),
          });
          expect(explained.body).toMatchObject({ sequence: instant.sequence, configuration: instant.config ?? defaultConfig, configured: instant.config !== undefined });
        }
      }
    }
  });

  it('the segment change alone changes what u-2 got, with the same flag version', async () => {
    const [beforeGrowth, afterGrowth] = [instants[2]!, instants[3]!];
    const context = { targetingKey: 'u-2', country: 'FR' };
    const before = await side.api('POST', '/api/flags/plan/explain', { environment: 'production', context, at: beforeGrowth.sequence });
    const after = await side.api('POST', '/api/flags/plan/explain', { environment: 'production', context, at: afterGrowth.sequence });
    expect(before.body).toMatchObject({ variant: 'basic', reason: 'DEFAULT', flagVersion: 3 });
    expect(after.body).toMatchObject({ variant: 'premium', reason: 'TARGETING_MATCH', ruleId: 'vip', flagVersion: 3, segments: [{ key: 'vip', version: 2 }] });
  });

  it('the environment as of each instant holds the same configuration and the segment of that time', async () => {
    for (const instant of instants) {
      const env = await side.api<{ flags: { key: string; config: unknown }[]; segments: { key: string; rules: unknown }[] }>('GET', `/api/environments/production/as-of?time=${encodeURIComponent(instant.time)}`);
      expect({ label: instant.label, flags: env.body.flags.map((f) => [f.key, f.config]), segments: env.body.segments }).toEqual({
        label: instant.label,
        flags: [['plan', instant.config ?? defaultConfig]],
        segments: [expect.objectContaining({ key: 'vip', rules: { included: instant.vip } })],
      });
    }
  });
});
