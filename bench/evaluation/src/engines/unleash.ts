import { once } from 'node:events';
import { Unleash, type Context } from 'unleash-client';
import type { ClientFeaturesResponse } from 'unleash-client';
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

type Feature = ClientFeaturesResponse['features'][number];

/*
 * Unleash has no single "rule tree": a toggle is on when ANY of its strategies is on, and a
 * strategy is on when ALL of its constraints hold. S3's (A AND B) OR C is therefore two
 * strategies. Rollouts use the built-in `flexibleRollout` strategy (stickiness userId); S4 uses
 * strategy variants (weights in units of 1000).
 */

function feature(name: string, strategies: unknown[]): Feature {
  return {
    name,
    enabled: true,
    type: 'release',
    project: 'default',
    stale: false,
    impressionData: false,
    strategies,
    variants: [],
  } as unknown as Feature;
}

export function unleashFeatures(): Feature[] {
  return [
    feature(FLAG_KEYS.S1, [{ name: 'default', parameters: {}, constraints: [] }]),
    feature(FLAG_KEYS.S2, [
      {
        name: 'flexibleRollout',
        parameters: { rollout: String(S2_SHARE * 100), stickiness: 'userId', groupId: FLAG_KEYS.S2 },
        constraints: [],
      },
    ]),
    feature(FLAG_KEYS.S3, [
      {
        name: 'default',
        parameters: {},
        constraints: [
          { contextName: 'country', operator: 'IN', values: [...S3_COUNTRIES], inverted: false, caseInsensitive: false },
          { contextName: 'plan', operator: 'IN', values: [S3_PLAN], inverted: false, caseInsensitive: false },
        ],
      },
      {
        name: 'default',
        parameters: {},
        constraints: [
          { contextName: 'email', operator: 'STR_ENDS_WITH', values: [S3_EMAIL_SUFFIX], inverted: false, caseInsensitive: false },
        ],
      },
    ]),
    feature(FLAG_KEYS.S4, [
      {
        name: 'flexibleRollout',
        parameters: { rollout: '100', stickiness: 'userId', groupId: FLAG_KEYS.S4 },
        constraints: [],
        variants: S4_VARIANTS.map((v) => ({
          name: v,
          weight: Math.round(S4_WEIGHTS[v] * 1000),
          weightType: 'variable',
          stickiness: 'userId',
        })),
      },
    ]),
  ];
}

export function unleashS5Feature(f: S5Flag): Feature {
  return feature(f.key, [
    {
      name: 'default',
      parameters: {},
      constraints: [{ contextName: 'country', operator: 'IN', values: [...f.countries], inverted: false, caseInsensitive: false }],
    },
  ]);
}

export function unleashContext(u: User): Context {
  return { userId: u.id, properties: { country: u.country, plan: u.plan, email: u.email } };
}

/** Storage provider that keeps nothing: the default one writes a backup file, we want no I/O. */
const nullStorage = {
  async set(): Promise<void> {},
  async get(): Promise<undefined> {
    return undefined;
  },
};

/** Starts an offline client: bootstrap only, refreshInterval 0 (never fetches), no metrics. */
export async function startOfflineUnleash(features: Feature[]): Promise<Unleash> {
  let pending: Feature[] | undefined = features;
  const client = new Unleash({
    appName: 'flagpole-bench',
    url: 'http://127.0.0.1:1/unused', // never contacted: refreshInterval 0 and metrics disabled
    refreshInterval: 0,
    disableMetrics: true,
    disableAutoStart: true,
    skipInstanceCountWarning: true,
    storageProvider: nullStorage as never,
    bootstrap: {
      bootstrapProvider: {
        // hand the data over once and drop our reference, so the heap figure is the client's own
        async readBootstrap() {
          const data = pending;
          pending = undefined;
          return { version: 2, features: data ?? [] };
        },
      },
    },
  });
  client.on('error', (e: unknown) => {
    throw e;
  });
  const ready = once(client, 'ready'); // emitted on the tick after the bootstrap is applied
  await client.start();
  if (features.length) await ready;
  return client;
}

class UnleashAdapter implements EngineAdapter {
  private readonly ctx: Context[];
  private readonly s5Ctx: Context[];
  private readonly s5Keys: string[];

  constructor(
    private readonly main: Unleash,
    private readonly big: Unleash,
    w: Workload,
  ) {
    this.ctx = w.users.map(unleashContext);
    this.s5Ctx = Array.from(w.s5UserIdx, (u) => this.ctx[u]);
    this.s5Keys = Array.from(w.s5FlagIdx, (f) => w.s5Flags[f].key);
  }

  answer(s: ScenarioId, i: number): Answer {
    switch (s) {
      case 'S4':
        return this.main.getVariant(FLAG_KEYS.S4, this.ctx[i]).name;
      case 'S5':
        return this.big.isEnabled(this.s5Keys[i], this.s5Ctx[i]);
      default:
        return this.main.isEnabled(FLAG_KEYS[s], this.ctx[i]);
    }
  }

  run(s: ScenarioId, reps: number): number {
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

  private s1(reps: number): number {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S1;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.isEnabled(key, ctx[i])) sink++;
    return sink;
  }
  private s2(reps: number): number {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S2;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.isEnabled(key, ctx[i])) sink++;
    return sink;
  }
  private s3(reps: number): number {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S3;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.isEnabled(key, ctx[i])) sink++;
    return sink;
  }
  private s4(reps: number): number {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S4;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) sink += c.getVariant(key, ctx[i]).name.length;
    return sink;
  }
  private s5(reps: number): number {
    const c = this.big, ctx = this.s5Ctx, keys = this.s5Keys, n = ctx.length;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.isEnabled(keys[i], ctx[i])) sink++;
    return sink;
  }

  close(): void {
    this.main.destroy();
    this.big.destroy();
  }
}

export const unleashEngine: EngineFactory = {
  id: 'unleash',
  name: 'Unleash',
  pkg: 'unleash-client',
  isAsync: false,
  api: '`Unleash#isEnabled` / `#getVariant` (bootstrap, refreshInterval 0, metrics off)',
  async create(w) {
    const main = await startOfflineUnleash(unleashFeatures());
    const big = await startOfflineUnleash(w.s5Flags.map(unleashS5Feature));
    return new UnleashAdapter(main, big, w);
  },
  async loadForHeap(flags): Promise<HeapHandle> {
    const client = await startOfflineUnleash(flags.map(unleashS5Feature));
    return {
      touch(fs, probe) {
        const ctx = unleashContext(probe);
        for (const f of fs) client.isEnabled(f.key, ctx);
      },
      close() {
        client.destroy();
      },
    };
  },
};
