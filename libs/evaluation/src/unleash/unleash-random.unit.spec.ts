import { InMemoryFlagStore } from '../store/in-memory-flag-store';
import { importUnleashFeatures } from './importer';
import { evaluateUnleash } from './result';

/**
 * What Unleash decides by a random draw (gradualRolloutRandom, random stickiness, default
 * stickiness without ids, custom stickiness without the field) cannot be compared case by case:
 * Flagpole hashes the adapter's per-evaluation draw instead. These tests check the distributions
 * instead: N evaluations with independent draws, shares within ±2 points of Unleash's.
 */
const N = 20_000;
const TOLERANCE = 0.02;
const ENVIRONMENT = 'production';

/** Deterministic PRNG (mulberry32) feeding the adapter's draws. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function storeOf(features: unknown[]): InMemoryFlagStore {
  const imported = importUnleashFeatures({ version: 2, features }, { environment: ENVIRONMENT });
  expect(imported.problems).toEqual([]);
  const store = new InMemoryFlagStore(ENVIRONMENT);
  imported.flags.forEach((f) => expect(store.putFlag(f)).toEqual([]));
  return store;
}

/** Share of N evaluations (fresh draw each) whose answer has each key. */
function shares(store: InMemoryFlagStore, name: string, context: object, key: (a: ReturnType<typeof evaluateUnleash>) => string): Map<string, number> {
  const random = prng(42);
  const counts = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const k = key(evaluateUnleash(store, name, context, { now: 0, random }));
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, n]) => [k, n / N]));
}

const enabledShare = (store: InMemoryFlagStore, name: string, context: object = {}): number =>
  shares(store, name, context, (a) => String(a.enabled)).get('true') ?? 0;

describe('random Unleash decisions, checked by distribution', () => {
  jest.setTimeout(60_000);

  it('gradualRolloutRandom enables its percentage of evaluations (spec 05 at 30 %, 0 % and 100 %)', () => {
    const store = storeOf([
      { name: 'r30', enabled: true, strategies: [{ name: 'gradualRolloutRandom', parameters: { percentage: '30' } }] },
      { name: 'r0', enabled: true, strategies: [{ name: 'gradualRolloutRandom', parameters: { percentage: '0' } }] },
      { name: 'r100', enabled: true, strategies: [{ name: 'gradualRolloutRandom', parameters: { percentage: '100' } }] },
    ]);
    expect(Math.abs(enabledShare(store, 'r30') - 0.3)).toBeLessThan(TOLERANCE);
    expect(enabledShare(store, 'r0')).toBe(0);
    expect(enabledShare(store, 'r100')).toBe(1);
  });

  it('two random strategies are independent draws (1 - 0.7² = 51 % for two 30 % strategies)', () => {
    const store = storeOf([
      {
        name: 'twice',
        enabled: true,
        strategies: [
          { name: 'gradualRolloutRandom', parameters: { percentage: '30' } },
          { name: 'gradualRolloutRandom', parameters: { percentage: '30' } },
        ],
      },
      {
        name: 'twice-flexible',
        enabled: true,
        strategies: [
          { name: 'flexibleRollout', parameters: { rollout: '30', stickiness: 'random', groupId: 'same' } },
          { name: 'flexibleRollout', parameters: { rollout: '30', stickiness: 'random', groupId: 'same' } },
        ],
      },
    ]);
    expect(Math.abs(enabledShare(store, 'twice') - 0.51)).toBeLessThan(TOLERANCE);
    expect(Math.abs(enabledShare(store, 'twice-flexible') - 0.51)).toBeLessThan(TOLERANCE);
  });

  it('flexibleRollout with random stickiness, and with default stickiness but no ids, enables its rollout', () => {
    const store = storeOf([
      { name: 'random40', enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: '40', stickiness: 'random', groupId: 'g' } }] },
      { name: 'default25', enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: '25', stickiness: 'default', groupId: 'g' } }] },
    ]);
    expect(Math.abs(enabledShare(store, 'random40', { userId: 'same-user' }) - 0.4)).toBeLessThan(TOLERANCE);
    expect(Math.abs(enabledShare(store, 'default25') - 0.25)).toBeLessThan(TOLERANCE);
    // With an id, default stickiness is sticky: one answer for every draw.
    expect([0, 1]).toContain(enabledShare(store, 'default25', { userId: 'u-1' }));
  });

  it('variants without any id (default stickiness) or without the custom stickiness field split by weight', () => {
    const variants = (stickiness?: string) =>
      [
        { name: 'a', weight: 200 },
        { name: 'b', weight: 300 },
        { name: 'c', weight: 500 },
      ].map((v) => (stickiness ? { ...v, stickiness } : v));
    const store = storeOf([
      { name: 'v-default', enabled: true, strategies: [], variants: variants() },
      { name: 'v-custom', enabled: true, strategies: [], variants: variants('tenant') },
    ]);
    for (const name of ['v-default', 'v-custom']) {
      const split = shares(store, name, {}, (a) => a.variant.name);
      expect(Math.abs((split.get('a') ?? 0) - 0.2)).toBeLessThan(TOLERANCE);
      expect(Math.abs((split.get('b') ?? 0) - 0.3)).toBeLessThan(TOLERANCE);
      expect(Math.abs((split.get('c') ?? 0) - 0.5)).toBeLessThan(TOLERANCE);
    }
    // With the custom field present the variant is sticky.
    expect(shares(store, 'v-custom', { properties: { tenant: 't-1' } }, (a) => a.variant.name).size).toBe(1);
  });
});
