import { InMemoryFlagStore } from '../store/in-memory-flag-store';
import { RANDOM_ATTRIBUTE } from './attributes';
import { toFlagpoleContext } from './context';
import { foldUnleashDelta } from './delta';
import { importUnleashFeatures, type UnleashImport } from './importer';
import { flagKeyFor } from './keys';
import { evaluateUnleash } from './result';

const ENV = 'production';

function load(payload: unknown, hostname?: string): { imported: UnleashImport; store: InMemoryFlagStore } {
  const imported = importUnleashFeatures(payload, { environment: ENV, hostname });
  const store = new InMemoryFlagStore(ENV);
  imported.segments.forEach((s) => expect(store.putSegment(s)).toEqual([]));
  imported.flags.forEach((f) => expect(store.putFlag(f)).toEqual([]));
  return { imported, store };
}

const answer = (store: InMemoryFlagStore, name: string, context: object = {}) =>
  evaluateUnleash(store, name, context, { now: Date.parse('2024-01-01T00:00:00Z'), random: () => 0.5 });

const problemsAt = (imported: UnleashImport) => imported.problems.map((p) => `${p.severity} ${p.path}`);

describe('importUnleashFeatures: flag shape', () => {
  it('maps a feature to a json flag whose variants record both Unleash answers', () => {
    const { imported } = load({
      version: 2,
      features: [
        { name: 'plain', enabled: true, strategies: [{ name: 'default' }] },
        { name: 'off', enabled: false, strategies: [{ name: 'default' }] },
      ],
    });
    expect(imported.problems).toEqual([]);
    expect(imported.flags[0]).toEqual({
      key: 'plain',
      type: 'json',
      variants: {
        off: { enabled: false, variant: { name: 'disabled', enabled: false, feature_enabled: false } },
        on: { enabled: true, variant: { name: 'disabled', enabled: false, feature_enabled: true } },
      },
      environments: { production: { on: true, offVariant: 'off', fallthrough: { variant: 'on' } } },
    });
    expect(imported.flags[1].environments.production).toEqual({ on: false, offVariant: 'off', fallthrough: { variant: 'on' } });
  });

  it('turns each strategy into rules in order, with constraints, and an unmatched feature into "off"', () => {
    const { imported } = load({
      features: [
        {
          name: 'f',
          enabled: true,
          strategies: [
            { name: 'userWithId', parameters: { userIds: 'a, b' }, constraints: [{ contextName: 'environment', operator: 'IN', values: ['prod'] }] },
            { name: 'flexibleRollout', parameters: { rollout: '25', stickiness: 'default', groupId: 'g' } },
          ],
        },
      ],
    });
    expect(imported.flags[0].environments.production).toEqual({
      on: true,
      offVariant: 'off',
      rules: [
        {
          id: 'strategy-0',
          description: 'Unleash strategy 0: userWithId',
          condition: { all: [{ attribute: 'environment', operator: 'in', values: ['prod'] }, { attribute: 'userId', operator: 'in', values: ['a', 'b'] }] },
          serve: { variant: 'on' },
        },
        {
          id: 'strategy-1',
          description: 'Unleash strategy 1: flexibleRollout',
          condition: { percentage: { bucketBy: ['userId', 'sessionId', RANDOM_ATTRIBUTE], salt: 'g', seed: 0, modulus: 100, threshold: 25 } },
          serve: { variant: 'on' },
        },
      ],
      fallthrough: { variant: 'off' },
    });
  });

  it('maps feature variants to a rollout with Unleash variant hashing, overrides to rules before it', () => {
    const { imported, store } = load({
      features: [
        {
          name: 'v',
          enabled: true,
          strategies: [],
          variants: [
            { name: 'red', weight: 0, weightType: 'fix', stickiness: 'tenant', overrides: [{ contextName: 'userId', values: ['vip'] }] },
            { name: 'blue', weight: 600, weightType: 'variable', stickiness: 'tenant', payload: { type: 'json', value: '{"a":1}' } },
            { name: 'green', weight: 400, weightType: 'variable', stickiness: 'tenant' },
          ],
        },
      ],
    });
    const env = imported.flags[0].environments.production;
    expect(env.rules).toEqual([
      { id: 'variants.override-0', description: 'no strategies: enabled for everyone, override for variant red', condition: { attribute: 'userId', operator: 'in', values: ['vip'] }, serve: { variant: 'red' } },
    ]);
    expect(env.fallthrough).toEqual({
      rollout: {
        bucketBy: ['tenant', RANDOM_ATTRIBUTE],
        salt: 'v',
        seed: 86028157,
        modulus: 1000,
        variants: [
          { variant: 'blue', weight: 600 },
          { variant: 'green', weight: 400 },
        ],
      },
    });
    // A zero-weight variant is reachable through its override only.
    expect(answer(store, 'v', { userId: 'vip' }).variant).toEqual({ name: 'red', enabled: true, feature_enabled: true });
    expect(answer(store, 'v', { userId: 'x', properties: { tenant: 't' } }).variant.name).toMatch(/^(blue|green)$/);
  });

  it('gives distinct variant names to distinct answers, and sanitises names', () => {
    const { imported } = load({
      features: [
        {
          name: 'f',
          enabled: true,
          strategies: [
            { name: 'default', constraints: [{ contextName: 'x', operator: 'IN', values: ['1'] }], variants: [{ name: 'blue', weight: 1, payload: { type: 'string', value: 'a' } }] },
            { name: 'default', constraints: [{ contextName: 'x', operator: 'IN', values: ['2'] }], variants: [{ name: 'blue', weight: 1, payload: { type: 'string', value: 'b' } }] },
            { name: 'default', variants: [{ name: 'my variant!', weight: 1 }, { name: 'blue', weight: 1, payload: { type: 'string', value: 'a' } }] },
          ],
        },
      ],
    });
    expect(Object.keys(imported.flags[0].variants).sort()).toEqual(['blue', 'blue-2', 'my_variant_', 'off']);
    expect(imported.flags[0].variants['my_variant_']).toEqual({ enabled: true, variant: { name: 'my variant!', enabled: true, feature_enabled: true } });
  });

  it('escapes feature names Flagpole keys cannot hold, and reports the mapping', () => {
    const { imported, store } = load({ features: [{ name: 'Feature.UTF-8.Hellø Wørld~', enabled: true, strategies: [] }] });
    expect(imported.keys).toEqual({ 'Feature.UTF-8.Hellø Wørld~': 'Feature.UTF-8.Hell~C3~B8~20W~C3~B8rld~7E' });
    expect(flagKeyFor('Feature.UTF-8.Hellø Wørld~')).toBe('Feature.UTF-8.Hell~C3~B8~20W~C3~B8rld~7E');
    expect(answer(store, 'Feature.UTF-8.Hellø Wørld~').enabled).toBe(true);
  });

  it('accepts a key policy of its own and reports clashes', () => {
    const lower = (name: string) => name.toLowerCase();
    const imported = importUnleashFeatures(
      { features: [{ name: 'Checkout', enabled: true, strategies: [] }, { name: 'checkout', enabled: false, strategies: [] }] },
      { environment: ENV, flagKey: lower },
    );
    expect(imported.flags.map((f) => f.key)).toEqual(['checkout', 'checkout']);
    expect(problemsAt(imported)).toEqual(['error features[1].name']);
    const store = new InMemoryFlagStore(ENV);
    store.putFlag(imported.flags[0]);
    expect(evaluateUnleash(store, 'Checkout', {}, { flagKey: lower, now: 0 }).enabled).toBe(true);
  });

  it('escapes dotted context names, for the importer and the context adapter alike', () => {
    const { imported, store } = load({
      features: [{ name: 'f', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'org.tier', operator: 'IN', values: ['gold'] }] }] }],
    });
    expect(imported.flags[0].environments.production.rules?.[0].condition).toEqual({ attribute: 'org~2Etier', operator: 'in', values: ['gold'] });
    expect(answer(store, 'f', { properties: { 'org.tier': 'gold' } }).enabled).toBe(true);
    expect(answer(store, 'f', { properties: { org: { tier: 'gold' } } }).enabled).toBe(false);
  });
});

describe('importUnleashFeatures: strategies and constraints', () => {
  it('evaluates unknown strategies and unknown operators as false, with warnings', () => {
    const { imported, store } = load({
      features: [
        { name: 'custom', enabled: true, strategies: [{ name: 'myCustomStrategy', parameters: {} }] },
        { name: 'custom-then-default', enabled: true, strategies: [{ name: 'myCustomStrategy' }, { name: 'default' }] },
        {
          name: 'bad-op',
          enabled: true,
          strategies: [{ name: 'default', constraints: [{ contextName: 'x', operator: 'NOPE', values: ['1'], inverted: true }] }],
        },
      ],
    });
    expect(problemsAt(imported)).toEqual(['warning features[0].strategies[0].name', 'warning features[1].strategies[0].name', 'warning features[2].strategies[0].constraints[0].operator']);
    expect(answer(store, 'custom').enabled).toBe(false);
    expect(answer(store, 'custom-then-default').enabled).toBe(true);
    expect(answer(store, 'bad-op', { properties: { x: '2' } }).enabled).toBe(false);
  });

  it('follows Unleash on unusable constraint values: false, and true once inverted', () => {
    const { imported, store } = load({
      features: [
        { name: 're', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'x', operator: 'REGEX', value: '(a' }] }] },
        { name: 're-inv', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'x', operator: 'REGEX', value: '(a', inverted: true }] }] },
        { name: 'num', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'x', operator: 'NUM_GT', value: 'ten' }] }] },
        { name: 'date', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'currentTime', operator: 'DATE_AFTER', value: 'soon' }] }] },
        { name: 'semver', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'v', operator: 'SEMVER_GT', value: 'one' }] }] },
      ],
    });
    expect(imported.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(imported.problems).toHaveLength(5);
    const ctx = { properties: { x: 'a', v: '1.0.0' } };
    expect(['re', 're-inv', 'num', 'date', 'semver'].map((n) => answer(store, n, ctx).enabled)).toEqual([false, true, false, false, false]);
  });

  it('maps SEMVER_GTE/LTE, a "v"-prefixed constraint value, DATE_* on currentTime and IN_CIDR', () => {
    const { store } = load({
      features: [
        { name: 'gte', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'v', operator: 'SEMVER_GTE', value: 'v1.2.0' }] }] },
        { name: 'lte', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'v', operator: 'SEMVER_LTE', value: '1.2.0' }] }] },
        { name: 'after', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'currentTime', operator: 'DATE_AFTER', value: '2023-06-01T00:00:00Z' }] }] },
        { name: 'cidr', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'ip', operator: 'IN_CIDR', values: ['10.0.0.0/8', ' 2001:db8::1 ', 'junk'] }] }] },
      ],
    });
    const v = (version: string) => ({ properties: { v: version } });
    expect(['1.1.9', '1.2.0', '1.2.1'].map((x) => answer(store, 'gte', v(x)).enabled)).toEqual([false, true, true]);
    expect(['1.1.9', '1.2.0', '1.2.1'].map((x) => answer(store, 'lte', v(x)).enabled)).toEqual([true, true, false]);
    // Without currentTime the evaluation's now (2024-01-01) is used.
    expect(answer(store, 'after').enabled).toBe(true);
    expect(answer(store, 'after', { currentTime: new Date('2023-01-01T00:00:00Z') }).enabled).toBe(false);
    expect(['10.1.2.3', '2001:db8::1', '11.0.0.1'].map((ip) => answer(store, 'cidr', { properties: { ip } }).enabled)).toEqual([true, true, false]);
  });

  it('splits value lists longer than the engine allows per clause', () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `user-${i}`);
    const { imported, store } = load({ features: [{ name: 'many', enabled: true, strategies: [{ name: 'userWithId', parameters: { userIds: ids.join(',') } }] }] });
    const condition = imported.flags[0].environments.production.rules?.[0].condition;
    expect(condition && 'any' in condition ? condition.any.length : 0).toBe(3);
    expect([answer(store, 'many', { userId: 'user-2499' }).enabled, answer(store, 'many', { userId: 'user-2500' }).enabled]).toEqual([true, false]);
  });

  it('maps remoteAddress: exact entries (any string) or IPv4 ranges; invalid entries ignored', () => {
    const { store } = load({
      features: [{ name: 'ra', enabled: true, strategies: [{ name: 'remoteAddress', parameters: { IPs: '10.0.0.0/8, 2001:db8::1, nonsense, 192.168.1.1' } }] }],
    });
    const on = (remoteAddress?: string) => answer(store, 'ra', remoteAddress === undefined ? {} : { remoteAddress }).enabled;
    expect([on('10.9.9.9'), on('2001:db8::1'), on('nonsense'), on('192.168.1.1'), on('192.168.1.2'), on()]).toEqual([true, true, true, true, false, false]);
  });

  it('resolves applicationHostname against the hostname option (never matches without one)', () => {
    const payload = { features: [{ name: 'h', enabled: true, strategies: [{ name: 'applicationHostname', parameters: { hostNames: 'web-1, WEB-2' } }] }] };
    expect(answer(load(payload, 'web-2').store, 'h').enabled).toBe(true);
    expect(answer(load(payload, 'web-3').store, 'h').enabled).toBe(false);
    const without = load(payload);
    expect(answer(without.store, 'h').enabled).toBe(false);
    expect(problemsAt(without.imported)).toEqual(['warning features[0].strategies[0].name']);
  });

  it('maps segments to Flagpole segments; a missing segment fails the strategy', () => {
    const { imported, store } = load({
      features: [
        { name: 'seg', enabled: true, strategies: [{ name: 'default', segments: [7] }] },
        { name: 'missing', enabled: true, strategies: [{ name: 'default', segments: [8] }] },
      ],
      segments: [{ id: 7, name: 'beta', constraints: [{ contextName: 'plan', operator: 'IN', values: ['beta'] }] }],
    });
    expect(imported.segments).toEqual([{ key: 'unleash-segment-7', condition: { attribute: 'plan', operator: 'in', values: ['beta'] } }]);
    expect(imported.flags[0].environments.production.fallthrough).toEqual({ variant: 'off' });
    expect(answer(store, 'seg', { properties: { plan: 'beta' } }).enabled).toBe(true);
    expect(answer(store, 'seg', { properties: { plan: 'ga' } }).enabled).toBe(false);
    expect(answer(store, 'missing', { properties: { plan: 'beta' } }).enabled).toBe(false);
    expect(problemsAt(imported)).toEqual(['warning features[1].strategies[0].segments[0]']);
  });
});

describe('importUnleashFeatures: dependencies', () => {
  it('maps dependencies to prerequisites on the parent answers', () => {
    const { imported, store } = load({
      features: [
        { name: 'parent', enabled: true, strategies: [{ name: 'userWithId', parameters: { userIds: 'u1' }, variants: [{ name: 'x', weight: 1 }] }] },
        { name: 'child', enabled: true, dependencies: [{ feature: 'parent', variants: ['x'] }], strategies: [] },
      ],
    });
    expect(imported.flags[1].environments.production.prerequisites).toEqual([{ flag: 'parent', variants: ['x'] }]);
    expect(answer(store, 'child', { userId: 'u1' }).enabled).toBe(true);
    expect(answer(store, 'child', { userId: 'u2' }).enabled).toBe(false);
  });

  it('keeps a parent required "disabled" on, serving off, since Flagpole prerequisites never hold on an off flag', () => {
    const { imported, store } = load({
      features: [
        { name: 'kill-switch', enabled: false, strategies: [{ name: 'default' }] },
        { name: 'child', enabled: true, dependencies: [{ feature: 'kill-switch', enabled: false }], strategies: [] },
      ],
    });
    expect(imported.flags[0].environments.production).toEqual({ on: true, offVariant: 'off', fallthrough: { variant: 'off' } });
    expect(problemsAt(imported)).toEqual(['warning features[0].enabled']);
    expect(answer(store, 'kill-switch').enabled).toBe(false);
    expect(answer(store, 'child').enabled).toBe(true);
  });

  it('keeps a child disabled when its parent is missing or has dependencies itself', () => {
    const { imported, store } = load({
      features: [
        { name: 'orphan', enabled: true, dependencies: [{ feature: 'nobody' }], strategies: [] },
        { name: 'grandchild', enabled: true, dependencies: [{ feature: 'orphan' }], strategies: [] },
      ],
    });
    expect(imported.flags.map((f) => f.environments.production.on)).toEqual([false, false]);
    expect(problemsAt(imported)).toEqual(['warning features[0].dependencies[0]', 'warning features[1].dependencies[0]']);
    expect(answer(store, 'grandchild').enabled).toBe(false);
  });
});

describe('importUnleashFeatures: malformed input', () => {
  it('reports what it cannot read and imports the rest', () => {
    expect(importUnleashFeatures('nope', { environment: ENV }).problems).toEqual([{ severity: 'error', path: '', problem: 'must be an Unleash client-features object' }]);
    expect(problemsAt(importUnleashFeatures({ features: {} }, { environment: ENV }))).toEqual(['error features']);
    const { imported, store } = load({
      features: [
        { enabled: true, strategies: [] },
        { name: 'no-strategies-array', enabled: true },
        { name: 'ok', enabled: true, strategies: [null, { name: 'default' }] },
      ],
    });
    expect(problemsAt(imported)).toEqual(['error features[0].name', 'error features[1].strategies', 'error features[2].strategies[0]']);
    expect(imported.flags.map((f) => f.key)).toEqual(['no-strategies-array', 'ok']);
    expect(answer(store, 'no-strategies-array').enabled).toBe(false);
    expect(answer(store, 'ok').enabled).toBe(true);
  });
});

describe('delta payloads', () => {
  it('folds events in order: hydration, updates, removals', () => {
    const folded = foldUnleashDelta([
      { type: 'hydration', features: [{ name: 'a' }, { name: 'b' }], segments: [{ id: 1 }, { id: 2 }] },
      { type: 'feature-updated', feature: { name: 'c' } },
      { type: 'feature-removed', featureName: 'a' },
      { type: 'segment-removed', segmentId: 1 },
      { type: 'segment-updated', segment: { id: 3 } },
      { type: 'something-new' },
    ]);
    expect(folded.features).toEqual([{ name: 'b' }, { name: 'c' }]);
    expect(folded.segments).toEqual([{ id: 2 }, { id: 3 }]);
    expect(folded.problems).toEqual([{ severity: 'warning', path: 'events[5].type', problem: 'unknown event type "something-new"; skipped' }]);
  });

  it('imports a delta payload like the equivalent full one', () => {
    const { store } = load({ events: [{ type: 'feature-updated', feature: { name: 'd', enabled: true, strategies: [{ name: 'default' }] } }] });
    expect(answer(store, 'd').enabled).toBe(true);
  });
});

describe('toFlagpoleContext', () => {
  it('flattens properties (top level wins), stringifies, drops null, normalises currentTime, sets targetingKey', () => {
    const context = toFlagpoleContext(
      {
        userId: 'u1',
        appName: undefined,
        currentTime: new Date('2022-01-01T10:00:00+02:00'),
        properties: { userId: 'ignored', plan: 'gold', seats: 12, gone: null, 'a.b': 'x' },
      },
      { random: () => 0.25, staticContext: { appName: 'static', environment: 'prod' } },
    );
    expect(context).toEqual({
      userId: 'u1',
      targetingKey: 'u1',
      environment: 'prod',
      currentTime: '2022-01-01T08:00:00.000Z',
      plan: 'gold',
      seats: '12',
      'a~2Eb': 'x',
      [RANDOM_ATTRIBUTE]: '250000000',
    });
  });

  it('leaves a falsy currentTime out (the engine then uses now) and keeps an invalid one (matches nothing)', () => {
    expect(toFlagpoleContext({ currentTime: '' }, { random: () => 0 }).currentTime).toBeUndefined();
    expect(toFlagpoleContext({ currentTime: 'garbage' }, { random: () => 0 }).currentTime).toBe('garbage');
  });
});
