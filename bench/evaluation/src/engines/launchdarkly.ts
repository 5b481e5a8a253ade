import { init, basicLogger, TestData, type LDClient, type LDContext } from '@launchdarkly/node-server-sdk';
import {
  FLAG_KEYS,
  S3_COUNTRIES,
  S3_EMAIL_SUFFIX,
  S3_PLAN,
  S4_VARIANTS,
  S4_WEIGHTS,
  S2_SHARE,
  type S5Flag,
  type ScenarioId,
  type User,
  type Workload,
} from '../data';
import type { Answer, EngineAdapter, EngineFactory, HeapHandle } from './types';

/*
 * Full LaunchDarkly flag data model objects, fed through the SDK's own offline data source
 * (`TestData#usePreconfiguredFlag`). Rules are OR'ed in order and a rule's clauses are AND'ed,
 * so S3 is two rules. Rollout weights are in units of 100,000; bucketing is by context key.
 */

type LdFlag = Record<string, unknown>;

function ldFlag(key: string, variations: unknown[], fallthrough: unknown, rules: unknown[] = []): LdFlag {
  return {
    key,
    version: 1,
    on: true,
    salt: key,
    variations,
    offVariation: variations.length - 1,
    fallthrough,
    targets: [],
    contextTargets: [],
    rules,
    prerequisites: [],
    trackEvents: false,
    trackEventsFallthrough: false,
    clientSide: false,
    deleted: false,
  };
}

export function ldFlags(): LdFlag[] {
  const on = Math.round(S2_SHARE * 100_000);
  return [
    ldFlag(FLAG_KEYS.S1, [true, false], { variation: 0 }),
    ldFlag(FLAG_KEYS.S2, [true, false], {
      rollout: { variations: [{ variation: 0, weight: on }, { variation: 1, weight: 100_000 - on }] },
    }),
    ldFlag(FLAG_KEYS.S3, [true, false], { variation: 1 }, [
      {
        id: 'geo-premium',
        variation: 0,
        clauses: [
          { attribute: 'country', op: 'in', values: [...S3_COUNTRIES], negate: false },
          { attribute: 'plan', op: 'in', values: [S3_PLAN], negate: false },
        ],
      },
      {
        id: 'staff',
        variation: 0,
        clauses: [{ attribute: 'email', op: 'endsWith', values: [S3_EMAIL_SUFFIX], negate: false }],
      },
    ]),
    ldFlag(FLAG_KEYS.S4, [...S4_VARIANTS], {
      rollout: { variations: S4_VARIANTS.map((v, i) => ({ variation: i, weight: Math.round(S4_WEIGHTS[v] * 100_000) })) },
    }),
  ];
}

export function ldS5Flag(f: S5Flag): LdFlag {
  return ldFlag(f.key, [true, false], { variation: 1 }, [
    { id: 'geo', variation: 0, clauses: [{ attribute: 'country', op: 'in', values: [...f.countries], negate: false }] },
  ]);
}

export function ldContext(u: User): LDContext {
  return { kind: 'user', key: u.id, country: u.country, plan: u.plan, email: u.email };
}

/** An offline client: TestData data source, no events, no diagnostics, no network. */
export async function startOfflineLd(flags: LdFlag[]): Promise<LDClient> {
  const td = new TestData();
  for (const f of flags) await td.usePreconfiguredFlag(f);
  const client = init('sdk-offline-benchmark', {
    updateProcessor: td.getFactory(),
    sendEvents: false,
    diagnosticOptOut: true,
    logger: basicLogger({ level: 'none' }),
  });
  await client.waitForInitialization({ timeout: 30 });
  return client;
}

class LdAdapter implements EngineAdapter {
  private readonly ctx: LDContext[];
  private readonly s5Ctx: LDContext[];
  private readonly s5Keys: string[];

  constructor(
    private readonly main: LDClient,
    private readonly big: LDClient,
    w: Workload,
  ) {
    this.ctx = w.users.map(ldContext);
    this.s5Ctx = Array.from(w.s5UserIdx, (u) => this.ctx[u]);
    this.s5Keys = Array.from(w.s5FlagIdx, (f) => w.s5Flags[f].key);
  }

  async answer(s: ScenarioId, i: number): Promise<Answer> {
    switch (s) {
      case 'S4':
        return this.main.variation(FLAG_KEYS.S4, this.ctx[i], 'none');
      case 'S5':
        return this.big.variation(this.s5Keys[i], this.s5Ctx[i], false);
      default:
        return this.main.variation(FLAG_KEYS[s], this.ctx[i], false);
    }
  }

  run(s: ScenarioId, reps: number): Promise<number> {
    switch (s) {
      case 'S1':
        return this.s1(reps);
      case 'S2':
        return this.s2(reps);
      case 'S3':
        return this.s3(reps);
      case 'S4':
        return this.s4(reps);
      case 'S5':
        return this.s5(reps);
    }
  }

  // variation() returns a Promise: each call is awaited, as an application has to.
  private async s1(reps: number): Promise<number> {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S1;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (await c.variation(key, ctx[i], false)) sink++;
    return sink;
  }
  private async s2(reps: number): Promise<number> {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S2;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (await c.variation(key, ctx[i], false)) sink++;
    return sink;
  }
  private async s3(reps: number): Promise<number> {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S3;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (await c.variation(key, ctx[i], false)) sink++;
    return sink;
  }
  private async s4(reps: number): Promise<number> {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S4;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) sink += ((await c.variation(key, ctx[i], 'none')) as string).length;
    return sink;
  }
  private async s5(reps: number): Promise<number> {
    const c = this.big, ctx = this.s5Ctx, keys = this.s5Keys, n = ctx.length;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (await c.variation(keys[i], ctx[i], false)) sink++;
    return sink;
  }

  close(): void {
    this.main.close();
    this.big.close();
  }
}

export const launchDarklyEngine: EngineFactory = {
  id: 'launchdarkly',
  name: 'LaunchDarkly',
  pkg: '@launchdarkly/node-server-sdk',
  isAsync: true,
  api: '`LDClient#variation` — **async** (returns a Promise; each call awaited). TestData source, sendEvents off',
  async create(w) {
    const main = await startOfflineLd(ldFlags());
    const big = await startOfflineLd(w.s5Flags.map(ldS5Flag));
    return new LdAdapter(main, big, w);
  },
  async loadForHeap(flags): Promise<HeapHandle> {
    const client = await startOfflineLd(flags.map(ldS5Flag));
    return {
      async touch(fs, probe) {
        const ctx = ldContext(probe);
        for (const f of fs) await client.variation(f.key, ctx, false);
      },
      close() {
        client.close();
      },
    };
  },
};
