import { referenceBucket } from '../../spec/reference-bucket';
import { evaluate, evaluateFlag } from '../evaluate/evaluate';
import type { FlagDefinition, FlagEnvironmentConfig, SegmentDefinition } from '../model/flag.types';
import { InMemoryFlagStore } from '../store/in-memory-flag-store';
import { compileFlag } from './flag.compile';
import { MAX_PREREQUISITE_DEPTH } from './limits';

function flag(key: string, config: Partial<FlagEnvironmentConfig>, variants: FlagDefinition['variants'] = { on: true, off: false }): FlagDefinition {
  return { key, type: 'boolean', variants, environments: { prod: { on: true, offVariant: 'off', fallthrough: { variant: 'on' }, ...config } } };
}

function storeWith(flags: FlagDefinition[], segments: SegmentDefinition[] = []): InMemoryFlagStore {
  const store = new InMemoryFlagStore('prod');
  for (const s of segments) expect(store.putSegment(s)).toEqual([]);
  for (const f of flags) expect(store.putFlag(f)).toEqual([]);
  return store;
}

describe('flag states', () => {
  it('serves the off variant with DISABLED when off', () => {
    const store = storeWith([flag('f', { on: false })]);
    expect(evaluateFlag(store, 'f', {}, true)).toEqual({ value: false, variant: 'off', reason: 'DISABLED' });
  });

  it('returns undefined from compileFlag for an environment the flag is not configured in', () => {
    expect(compileFlag(flag('f', {}), 'staging')).toBeUndefined();
  });

  it('returns TYPE_MISMATCH with the default when the expected type differs', () => {
    const store = storeWith([flag('f', {})]);
    expect(evaluateFlag(store, 'f', {}, 'x', { expectedType: 'string' })).toMatchObject({ value: 'x', reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
    expect(evaluateFlag(store, 'f', {}, false, { expectedType: 'boolean' })).toMatchObject({ value: true, reason: 'DEFAULT' });
  });

  it('keeps an invalid flag as PARSE_ERROR so callers get their default', () => {
    const store = new InMemoryFlagStore('prod');
    expect(store.putFlag(flag('f', { offVariant: 'missing' }))).toHaveLength(1);
    expect(evaluateFlag(store, 'f', {}, 'dflt')).toMatchObject({ value: 'dflt', reason: 'ERROR', errorCode: 'PARSE_ERROR' });
  });

  it('answers a non-object context with INVALID_CONTEXT and treats null as empty', () => {
    const store = storeWith([flag('f', {})]);
    expect(evaluateFlag(store, 'f', 'alice' as never, false)).toMatchObject({ reason: 'ERROR', errorCode: 'INVALID_CONTEXT' });
    expect(evaluateFlag(store, 'f', null as never, false)).toMatchObject({ reason: 'DEFAULT' });
  });

  it('never throws, even when the store does', () => {
    const throwing = { getFlag: () => { throw new Error('boom'); }, getSegment: () => undefined };
    expect(evaluateFlag(throwing, 'f', {}, 1)).toMatchObject({ value: 1, reason: 'ERROR', errorCode: 'GENERAL' });
  });

  it('survives a store that evaluates another flag while being asked for a segment (re-entrancy)', () => {
    const inner = storeWith([flag('inner', { fallthrough: { variant: 'off' } })]);
    const outerFlag = flag('outer', {
      fallthrough: { variant: 'off' },
      rules: [{ id: 's', condition: { attribute: 'k', operator: 'segment', values: ['x'] }, serve: { variant: 'on' } }],
    });
    const store = storeWith([outerFlag]);
    const reentrant = {
      getFlag: (key: string) => store.getFlag(key),
      getSegment: () => {
        expect(evaluateFlag(inner, 'inner', {}, true)).toMatchObject({ value: false, reason: 'DEFAULT' });
        return undefined;
      },
    };
    expect(evaluateFlag(reentrant, 'outer', {}, true)).toMatchObject({ value: false, reason: 'DEFAULT' });
    expect(evaluateFlag(inner, 'inner', {}, true)).toMatchObject({ value: false, reason: 'DEFAULT' });
  });

  it('shares frozen results so callers cannot corrupt later evaluations', () => {
    const store = storeWith([flag('f', {}, { on: { nested: [1] }, off: {} })].map((f) => ({ ...f, type: 'json' as const })));
    const result = evaluateFlag(store, 'f', {}, null);
    expect(Object.isFrozen(result.value)).toBe(true);
    expect(() => ((result.value as { nested: number[] }).nested as number[]).push(2)).toThrow(/not extensible/);
  });

  it('also evaluates a definition directly (compiling on the fly)', () => {
    const store = storeWith([]);
    expect(evaluate(flag('f', {}), 'prod', {}, store)).toEqual({ value: true, variant: 'on', reason: 'DEFAULT' });
    expect(evaluate(flag('f', {}), 'dev', {}, store)).toMatchObject({ reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  });
});

describe('rollouts', () => {
  const variants = { a: 'A', b: 'B', c: 'C', off: '' };
  const split = (extra = {}): FlagDefinition => ({
    key: 'split',
    type: 'string',
    variants,
    environments: {
      prod: {
        on: true,
        offVariant: 'off',
        fallthrough: { rollout: { variants: [{ variant: 'a', weight: 30_000 }, { variant: 'b', weight: 0 }, { variant: 'c', weight: 70_000 }], ...extra } },
      },
    },
  });

  it('serves the first variant whose cumulative weight exceeds the bucket, with SPLIT', () => {
    const store = storeWith([split()]);
    for (let i = 0; i < 200; i++) {
      const key = `user-${i}`;
      const bucket = referenceBucket('split', key, 0, 100_000);
      const expected = bucket < 30_000 ? 'a' : 'c';
      expect(evaluateFlag(store, 'split', { targetingKey: key }, '')).toEqual({ value: expected.toUpperCase(), variant: expected, reason: 'SPLIT' });
    }
  });

  it('buckets by the first present bucketBy attribute, with the given salt and seed', () => {
    const store = storeWith([split({ bucketBy: ['accountId', 'targetingKey'], salt: 's', seed: 7, modulus: 100_000 })]);
    const bucket = referenceBucket('s', 'acct-9', 7, 100_000);
    const result = evaluateFlag(store, 'split', { targetingKey: 'ignored', accountId: 'acct-9' }, '');
    expect(result.variant).toBe(bucket < 30_000 ? 'a' : 'c');
  });

  it('serves the first variant with a non-zero weight when no bucketBy attribute is present', () => {
    const store = storeWith([split()]);
    expect(evaluateFlag(store, 'split', {}, '')).toEqual({ value: 'A', variant: 'a', reason: 'SPLIT' });
  });
});

describe('segments', () => {
  const segment: SegmentDefinition = {
    key: 'beta',
    included: ['inc'],
    excluded: ['exc'],
    condition: { attribute: 'plan', operator: 'in', values: ['pro'] },
  };
  const gated = flag('f', {
    fallthrough: { variant: 'off' },
    rules: [{ id: 'seg', condition: { attribute: 'targetingKey', operator: 'segment', values: ['beta'] }, serve: { variant: 'on' } }],
  });
  const store = storeWith([gated], [segment]);
  const member = (context: Record<string, unknown>) => evaluateFlag(store, 'f', context, false).variant === 'on';

  it('lets excluded win over included and the condition', () => expect(member({ targetingKey: 'exc', plan: 'pro' })).toBe(false));
  it('includes listed keys without the condition', () => expect(member({ targetingKey: 'inc' })).toBe(true));
  it('includes contexts satisfying the condition', () => expect(member({ targetingKey: 'x', plan: 'pro' })).toBe(true));
  it('excludes everyone else', () => expect(member({ targetingKey: 'x', plan: 'free' })).toBe(false));
  it('treats a missing segment as no member', () => {
    const lonely = storeWith([gated]);
    expect(evaluateFlag(lonely, 'f', { targetingKey: 'inc' }, false).variant).toBe('off');
  });
});

describe('prerequisites', () => {
  const parent = (variant: string, on = true) => flag('parent', { on, fallthrough: { variant } });
  const child = flag('child', { prerequisites: [{ flag: 'parent', variants: ['on'] }] });

  it('holds when the prerequisite serves a listed variant', () => {
    expect(evaluateFlag(storeWith([parent('on'), child]), 'child', {}, false)).toEqual({ value: true, variant: 'on', reason: 'DEFAULT' });
  });

  it('fails when the prerequisite serves another variant', () => {
    expect(evaluateFlag(storeWith([parent('off'), child]), 'child', {}, true)).toEqual({ value: false, variant: 'off', reason: 'PREREQUISITE_FAILED' });
  });

  it('fails when the prerequisite is off, even if its off variant is listed', () => {
    const lenient = flag('child', { prerequisites: [{ flag: 'parent', variants: ['on', 'off'] }] });
    expect(evaluateFlag(storeWith([parent('on', false), lenient]), 'child', {}, true).reason).toBe('PREREQUISITE_FAILED');
  });

  it('fails when the prerequisite flag is missing', () => {
    expect(evaluateFlag(storeWith([child]), 'child', {}, true).reason).toBe('PREREQUISITE_FAILED');
  });

  it('ends a cycle in ERROR with the caller default instead of overflowing', () => {
    const a = flag('a', { prerequisites: [{ flag: 'b', variants: ['on'] }] });
    const b = flag('b', { prerequisites: [{ flag: 'a', variants: ['on'] }] });
    expect(evaluateFlag(storeWith([a, b]), 'a', {}, 'dflt')).toEqual({
      value: 'dflt',
      reason: 'ERROR',
      errorCode: 'GENERAL',
      errorMessage: 'prerequisite cycle: a -> b -> a',
    });
  });

  it(`ends chains deeper than ${MAX_PREREQUISITE_DEPTH} in ERROR`, () => {
    const chain = Array.from({ length: MAX_PREREQUISITE_DEPTH + 2 }, (_, i) =>
      flag(`f${i}`, i === MAX_PREREQUISITE_DEPTH + 1 ? {} : { prerequisites: [{ flag: `f${i + 1}`, variants: ['on'] }] }),
    );
    expect(evaluateFlag(storeWith(chain), 'f0', {}, null)).toMatchObject({ reason: 'ERROR', errorCode: 'GENERAL' });
    expect(evaluateFlag(storeWith(chain), 'f2', {}, null)).toMatchObject({ reason: 'DEFAULT' });
  });
});
