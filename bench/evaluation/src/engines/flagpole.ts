import * as flagpole from './flagpole-api';
import type { EvaluationContext, FlagDefinition, InMemoryFlagStore } from './flagpole-api';
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
 * Flagpole flag definitions (libs/evaluation/src/model/flag.types.ts) in one environment.
 * Rollouts use Flagpole's own bucketing: MurmurHash3 x86-32 of `${salt}:${targetingKey}`
 * mod 100,000, salt = flag key; weights are in units of 100,000. `plan = premium` is an `in`
 * clause with one value (`eq` is numeric in Flagpole).
 */

// Bound once: CommonJS re-exports compile to getters, which a call through the namespace would
// run on every evaluation (the same for a consumer that destructures the import once).
const evaluateFlag = flagpole.evaluateFlag;

export const ENV = 'production';
const BOOL = { on: true, off: false };

function flag(key: string, type: FlagDefinition['type'], variants: FlagDefinition['variants'], cfg: Omit<FlagDefinition['environments'][string], 'on' | 'offVariant'>, offVariant = 'off'): FlagDefinition {
  return { key, type, variants, environments: { [ENV]: { on: true, offVariant, ...cfg } } };
}

export function flagpoleFlags(): FlagDefinition[] {
  const on = Math.round(S2_SHARE * 100_000);
  return [
    flag(FLAG_KEYS.S1, 'boolean', BOOL, { fallthrough: { variant: 'on' } }),
    flag(FLAG_KEYS.S2, 'boolean', BOOL, {
      fallthrough: { rollout: { variants: [{ variant: 'on', weight: on }, { variant: 'off', weight: 100_000 - on }] } },
    }),
    flag(FLAG_KEYS.S3, 'boolean', BOOL, {
      rules: [
        {
          id: 'geo-premium-or-staff',
          condition: {
            any: [
              {
                all: [
                  { attribute: 'country', operator: 'in', values: [...S3_COUNTRIES] },
                  { attribute: 'plan', operator: 'in', values: [S3_PLAN] },
                ],
              },
              { attribute: 'email', operator: 'endsWith', values: [S3_EMAIL_SUFFIX] },
            ],
          },
          serve: { variant: 'on' },
        },
      ],
      fallthrough: { variant: 'off' },
    }),
    flag(
      FLAG_KEYS.S4,
      'string',
      Object.fromEntries(S4_VARIANTS.map((v) => [v, v])),
      { fallthrough: { rollout: { variants: S4_VARIANTS.map((v) => ({ variant: v, weight: Math.round(S4_WEIGHTS[v] * 100_000) })) } } },
      S4_VARIANTS[0],
    ),
  ];
}

export function flagpoleS5Flag(f: S5Flag): FlagDefinition {
  return flag(f.key, 'boolean', BOOL, {
    rules: [{ id: 'geo', condition: { attribute: 'country', operator: 'in', values: [...f.countries] }, serve: { variant: 'on' } }],
    fallthrough: { variant: 'off' },
  });
}

export function flagpoleContext(u: User): EvaluationContext {
  return { targetingKey: u.id, country: u.country, plan: u.plan, email: u.email };
}

export function loadFlagpole(defs: readonly FlagDefinition[]): InMemoryFlagStore {
  const store = new flagpole.InMemoryFlagStore(ENV);
  for (const d of defs) {
    const problems = store.putFlag(d);
    if (problems.length) throw new Error(`flag ${d.key} refused: ${JSON.stringify(problems)}`);
  }
  return store;
}

class FlagpoleAdapter implements EngineAdapter {
  private readonly ctx: EvaluationContext[];
  private readonly s5Ctx: EvaluationContext[];
  private readonly s5Keys: string[];

  constructor(
    private readonly main: InMemoryFlagStore,
    private readonly big: InMemoryFlagStore,
    w: Workload,
  ) {
    this.ctx = w.users.map(flagpoleContext);
    this.s5Ctx = Array.from(w.s5UserIdx, (u) => this.ctx[u]);
    this.s5Keys = Array.from(w.s5FlagIdx, (f) => w.s5Flags[f].key);
  }

  answer(s: ScenarioId, i: number): Answer {
    switch (s) {
      case 'S4':
        return evaluateFlag(this.main, FLAG_KEYS.S4, this.ctx[i], 'none').value as string;
      case 'S5':
        return evaluateFlag(this.big, this.s5Keys[i], this.s5Ctx[i], false).value as boolean;
      default:
        return evaluateFlag(this.main, FLAG_KEYS[s], this.ctx[i], false).value as boolean;
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
    const st = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S1;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (evaluateFlag(st, key, ctx[i], false).value === true) sink++;
    return sink;
  }
  private s2(reps: number): number {
    const st = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S2;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (evaluateFlag(st, key, ctx[i], false).value === true) sink++;
    return sink;
  }
  private s3(reps: number): number {
    const st = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S3;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (evaluateFlag(st, key, ctx[i], false).value === true) sink++;
    return sink;
  }
  private s4(reps: number): number {
    const st = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S4;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) sink += (evaluateFlag(st, key, ctx[i], 'none').value as string).length;
    return sink;
  }
  private s5(reps: number): number {
    const st = this.big, ctx = this.s5Ctx, keys = this.s5Keys, n = ctx.length;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (evaluateFlag(st, keys[i], ctx[i], false).value === true) sink++;
    return sink;
  }

  close(): void {}
}

export const flagpoleEngine: EngineFactory = {
  id: 'flagpole',
  name: 'Flagpole',
  pkg: 'flagpole',
  isAsync: false,
  api: '`evaluateFlag(store, key, context, default)` over an `InMemoryFlagStore`',
  async create(w) {
    return new FlagpoleAdapter(loadFlagpole(flagpoleFlags()), loadFlagpole(w.s5Flags.map(flagpoleS5Flag)), w);
  },
  async loadForHeap(flags): Promise<HeapHandle> {
    const store = loadFlagpole(flags.map(flagpoleS5Flag));
    return {
      touch(fs, probe) {
        const ctx = flagpoleContext(probe);
        for (const f of fs) evaluateFlag(store, f.key, ctx, false);
      },
      close() {},
    };
  },
};
