import { FlagdCore } from '@openfeature/flagd-core';
import type { EvaluationContext, Logger } from '@openfeature/core';
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
 * flagd flag definitions (JsonLogic targeting). Rollouts use flagd's `fractional` operator,
 * which buckets on `$flagd.flagKey + targetingKey` by default.
 */

type FlagdFlag = Record<string, unknown>;

const BOOL_VARIANTS = { on: true, off: false };

export function flagdFlags(): Record<string, FlagdFlag> {
  const on = Math.round(S2_SHARE * 100);
  return {
    [FLAG_KEYS.S1]: { state: 'ENABLED', variants: BOOL_VARIANTS, defaultVariant: 'on' },
    [FLAG_KEYS.S2]: {
      state: 'ENABLED',
      variants: BOOL_VARIANTS,
      defaultVariant: 'off',
      targeting: { fractional: [['on', on], ['off', 100 - on]] },
    },
    [FLAG_KEYS.S3]: {
      state: 'ENABLED',
      variants: BOOL_VARIANTS,
      defaultVariant: 'off',
      targeting: {
        if: [
          {
            or: [
              { and: [{ in: [{ var: 'country' }, [...S3_COUNTRIES]] }, { '==': [{ var: 'plan' }, S3_PLAN] }] },
              { ends_with: [{ var: 'email' }, S3_EMAIL_SUFFIX] },
            ],
          },
          'on',
          'off',
        ],
      },
    },
    [FLAG_KEYS.S4]: {
      state: 'ENABLED',
      variants: Object.fromEntries(S4_VARIANTS.map((v) => [v, v])),
      defaultVariant: S4_VARIANTS[0],
      targeting: { fractional: S4_VARIANTS.map((v) => [v, Math.round(S4_WEIGHTS[v] * 100)]) },
    },
  };
}

export function flagdS5Flag(f: S5Flag): FlagdFlag {
  return {
    state: 'ENABLED',
    variants: BOOL_VARIANTS,
    defaultVariant: 'off',
    targeting: { if: [{ in: [{ var: 'country' }, [...f.countries]] }, 'on', 'off'] },
  };
}

export function flagdContext(u: User): EvaluationContext {
  return { targetingKey: u.id, country: u.country, plan: u.plan, email: u.email };
}

const silent: Logger = { error() {}, warn() {}, info() {}, debug() {} };

/** flagd ingests its flag configuration as a JSON string (as received from a sync source). */
export function loadFlagd(json: string): FlagdCore {
  const core = new FlagdCore(undefined, silent);
  core.setConfigurations(json);
  return core;
}

class FlagdAdapter implements EngineAdapter {
  private readonly ctx: EvaluationContext[];
  private readonly s5Ctx: EvaluationContext[];
  private readonly s5Keys: string[];

  constructor(
    private readonly main: FlagdCore,
    private readonly big: FlagdCore,
    w: Workload,
  ) {
    this.ctx = w.users.map(flagdContext);
    this.s5Ctx = Array.from(w.s5UserIdx, (u) => this.ctx[u]);
    this.s5Keys = Array.from(w.s5FlagIdx, (f) => w.s5Flags[f].key);
  }

  answer(s: ScenarioId, i: number): Answer {
    switch (s) {
      case 'S4':
        return this.main.resolveStringEvaluation(FLAG_KEYS.S4, 'none', this.ctx[i], silent).value;
      case 'S5':
        return this.big.resolveBooleanEvaluation(this.s5Keys[i], false, this.s5Ctx[i], silent).value;
      default:
        return this.main.resolveBooleanEvaluation(FLAG_KEYS[s], false, this.ctx[i], silent).value;
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
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.resolveBooleanEvaluation(key, false, ctx[i], silent).value) sink++;
    return sink;
  }
  private s2(reps: number): number {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S2;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.resolveBooleanEvaluation(key, false, ctx[i], silent).value) sink++;
    return sink;
  }
  private s3(reps: number): number {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S3;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.resolveBooleanEvaluation(key, false, ctx[i], silent).value) sink++;
    return sink;
  }
  private s4(reps: number): number {
    const c = this.main, ctx = this.ctx, n = ctx.length, key = FLAG_KEYS.S4;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) sink += c.resolveStringEvaluation(key, 'none', ctx[i], silent).value.length;
    return sink;
  }
  private s5(reps: number): number {
    const c = this.big, ctx = this.s5Ctx, keys = this.s5Keys, n = ctx.length;
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < n; i++) if (c.resolveBooleanEvaluation(keys[i], false, ctx[i], silent).value) sink++;
    return sink;
  }

  close(): void {}
}

export const flagdEngine: EngineFactory = {
  id: 'flagd',
  name: 'flagd-core',
  pkg: '@openfeature/flagd-core',
  isAsync: false,
  api: '`FlagdCore#resolveBooleanEvaluation` / `#resolveStringEvaluation` (in-process, JSON config)',
  async create(w) {
    const main = loadFlagd(JSON.stringify({ flags: flagdFlags() }));
    const big = loadFlagd(JSON.stringify({ flags: Object.fromEntries(w.s5Flags.map((f) => [f.key, flagdS5Flag(f)])) }));
    return new FlagdAdapter(main, big, w);
  },
  async loadForHeap(flags): Promise<HeapHandle> {
    const core = loadFlagd(JSON.stringify({ flags: Object.fromEntries(flags.map((f) => [f.key, flagdS5Flag(f)])) }));
    return {
      touch(fs, probe) {
        const ctx = flagdContext(probe);
        for (const f of fs) core.resolveBooleanEvaluation(f.key, false, ctx, silent);
      },
      close() {},
    };
  },
};
