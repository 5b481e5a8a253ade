import { GrowthBookClient, type FeatureDefinition, type UserContext } from '@growthbook/growthbook';
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
 * GrowthBook is driven through `GrowthBookClient`, its multi-user server-side client: one
 * instance holds the features, every call takes the user's context — no per-user instance and no
 * `setAttributes` (which re-renders). S2 is a rollout rule (force + coverage, hashAttribute id);
 * S4 an experiment rule with weights. GrowthBook's condition language has no endsWith: S3 uses
 * an anchored `$regex`.
 */

export function gbFeatures(): Record<string, FeatureDefinition> {
  return {
    [FLAG_KEYS.S1]: { defaultValue: true },
    [FLAG_KEYS.S2]: { defaultValue: false, rules: [{ force: true, coverage: S2_SHARE, hashAttribute: 'id' }] },
    [FLAG_KEYS.S3]: {
      defaultValue: false,
      rules: [
        {
          condition: {
            $or: [
              { country: { $in: [...S3_COUNTRIES] }, plan: S3_PLAN },
              { email: { $regex: S3_EMAIL_SUFFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$' } },
            ],
          },
          force: true,
        },
      ],
    },
    [FLAG_KEYS.S4]: {
      defaultValue: 'none',
      rules: [
        {
          key: FLAG_KEYS.S4,
          variations: [...S4_VARIANTS],
          weights: S4_VARIANTS.map((v) => S4_WEIGHTS[v]),
          coverage: 1,
          hashAttribute: 'id',
        },
      ],
    },
  };
}

export function gbS5Feature(f: S5Flag): FeatureDefinition {
  return { defaultValue: false, rules: [{ condition: { country: { $in: [...f.countries] } }, force: true }] };
}

export function gbContext(u: User): UserContext {
  return { attributes: { id: u.id, country: u.country, plan: u.plan, email: u.email } };
}

export function loadGrowthBook(features: Record<string, FeatureDefinition>): GrowthBookClient {
  const gb = new GrowthBookClient({ enabled: true });
  gb.initSync({ payload: { features } });
  return gb;
}

class GrowthBookAdapter implements EngineAdapter {
  private readonly ctx: UserContext[];
  private readonly s5Ctx: UserContext[];
  private readonly s5Keys: string[];

  constructor(
    private readonly main: GrowthBookClient,
    private readonly big: GrowthBookClient,
    w: Workload,
  ) {
    this.ctx = w.users.map(gbContext);
    this.s5Ctx = Array.from(w.s5UserIdx, (u) => this.ctx[u]);
    this.s5Keys = Array.from(w.s5FlagIdx, (f) => w.s5Flags[f].key);
  }

  answer(s: ScenarioId, i: number): Answer {
    switch (s) {
      case 'S4':
        return this.main.getFeatureValue(FLAG_KEYS.S4, 'none', this.ctx[i]);
      case 'S5':
        return this.big.isOn(this.s5Keys[i], this.s5Ctx[i]);
      default:
        return this.main.isOn(FLAG_KEYS[s], this.ctx[i]);
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
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.isOn(key, ctx[i])) sink++;
    return sink;
  }
  private s2(reps: number): number {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S2;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.isOn(key, ctx[i])) sink++;
    return sink;
  }
  private s3(reps: number): number {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S3;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.isOn(key, ctx[i])) sink++;
    return sink;
  }
  private s4(reps: number): number {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S4;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) sink += c.getFeatureValue(key, 'none', ctx[i]).length;
    return sink;
  }
  private s5(reps: number): number {
    const c = this.big, ctx = this.s5Ctx, keys = this.s5Keys, n = ctx.length;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.isOn(keys[i], ctx[i])) sink++;
    return sink;
  }

  close(): void {
    this.main.destroy();
    this.big.destroy();
  }
}

export const growthBookEngine: EngineFactory = {
  id: 'growthbook',
  name: 'GrowthBook',
  pkg: '@growthbook/growthbook',
  isAsync: false,
  api: '`GrowthBookClient#isOn` / `#getFeatureValue` (multi-user client, initSync payload)',
  async create(w) {
    const main = loadGrowthBook(gbFeatures());
    const big = loadGrowthBook(Object.fromEntries(w.s5Flags.map((f) => [f.key, gbS5Feature(f)])));
    return new GrowthBookAdapter(main, big, w);
  },
  async loadForHeap(flags): Promise<HeapHandle> {
    const gb = loadGrowthBook(Object.fromEntries(flags.map((f) => [f.key, gbS5Feature(f)])));
    return {
      touch(fs, probe) {
        const ctx = gbContext(probe);
        for (const f of fs) gb.isOn(f.key, ctx);
      },
      close() {
        gb.destroy();
      },
    };
  },
};
