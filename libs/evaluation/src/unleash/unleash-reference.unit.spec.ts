import * as fs from 'fs';
import * as path from 'path';
import UnleashClient from 'unleash-client/lib/client';
import type { Context } from 'unleash-client/lib/context';
import type { RepositoryInterface } from 'unleash-client/lib/repository';
import { defaultStrategies } from 'unleash-client/lib/strategy';
import { InMemoryFlagStore } from '../store/in-memory-flag-store';
import { foldUnleashDelta } from './delta';
import { importUnleashFeatures } from './importer';
import { evaluateUnleash } from './result';

/**
 * Differential test against the reference Node SDK (unleash-client): every feature of every
 * specification file is evaluated for many generated contexts by both the SDK's own evaluator and
 * importer + Flagpole engine, and both Unleash answers (isEnabled, getVariant) must agree.
 *
 * Contexts are drawn from the values the suite uses (constraint values, test contexts) plus
 * generated ids, all well-formed (ASCII ids, canonical numbers, versions and dates): README
 * "Known divergences" lists the malformed inputs on which the engine is stricter, and
 * unleash-divergences.unit.spec.ts pins each of them down.
 *
 * Answers that depend on a random draw (random stickiness, gradualRolloutRandom, variants without
 * any id) are told apart by evaluating the SDK, when it calls Math.random at all, under 16
 * different Math.random values; those samples are compared by distribution in
 * unleash-random.unit.spec.ts instead.
 */

const SPEC_DIR = path.join(path.dirname(require.resolve('@unleash/client-specification/package.json')), 'specifications');
const ENVIRONMENT = 'production';
const SAMPLES_PER_FEATURE = 300;
/**
 * Math.random values under which the SDK is probed: an answer equal under all 16 does not depend
 * on the draw (a 50/50 random split would agree 16 times with probability 2^-15).
 */
const PROBE_DRAWS = Array.from({ length: 16 }, (_, i) => (i + 0.5) / 16);

interface Feature {
  readonly name: string;
  readonly strategies?: readonly { readonly constraints?: readonly Constraint[] }[];
}
interface Constraint {
  readonly contextName: string;
  readonly values?: readonly unknown[];
  readonly value?: unknown;
}
interface Segment {
  readonly id: number;
  readonly constraints?: readonly Constraint[];
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(SPEC_DIR, file), 'utf8'));
}

/** The client-features state of a spec file (delta files folded first). */
function stateOf(spec: { state: Record<string, unknown> }): { features: Feature[]; segments: Segment[] } {
  if (Array.isArray(spec.state.events)) {
    const folded = foldUnleashDelta(spec.state.events);
    return { features: folded.features as Feature[], segments: folded.segments as Segment[] };
  }
  return { features: spec.state.features as Feature[], segments: (spec.state.segments ?? []) as Segment[] };
}

/** Deterministic PRNG (mulberry32), so a failure names a reproducible sample. */
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

const TOP_LEVEL = new Set(['userId', 'sessionId', 'remoteAddress', 'environment', 'appName', 'currentTime']);

/** Values per context field, harvested from the whole suite and widened with generated ones. */
function valuePools(files: readonly string[]): Map<string, Set<string>> {
  const pools = new Map<string, Set<string>>();
  const add = (field: string, value: unknown): void => {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const set = pools.get(field) ?? new Set<string>();
    set.add(String(value));
    pools.set(field, set);
  };
  for (const file of files) {
    const spec = readJson(file) as { state: Record<string, unknown>; tests?: { context: Record<string, unknown> }[]; variantTests?: { context: Record<string, unknown> }[] };
    const { features, segments } = stateOf(spec);
    const constraints = [
      ...features.flatMap((f) => (f.strategies ?? []).flatMap((s) => s.constraints ?? [])),
      ...segments.flatMap((s) => s.constraints ?? []),
    ];
    for (const c of constraints) {
      for (const v of c.values ?? []) add(c.contextName, v);
      add(c.contextName, c.value);
    }
    for (const t of [...(spec.tests ?? []), ...(spec.variantTests ?? [])]) {
      for (const [k, v] of Object.entries(t.context)) {
        if (k === 'properties' && v && typeof v === 'object') for (const [pk, pv] of Object.entries(v)) add(pk, pv);
        else add(k, v);
      }
    }
  }
  for (let i = 0; i < 200; i++) {
    add('userId', String(i * 7));
    add('sessionId', String(i * 13));
    add('customField', String(i * 11));
    add('clientId', String(i));
    add('someValue', String(i - 20));
    add('customNumber', (i / 7).toFixed(2));
  }
  for (const ip of ['10.0.0.1', '192.168.0.2', '192.168.1.255', '160.33.200.1', '2001:db8::ff', '2001:db9::1', '::1']) add('remoteAddress', ip);
  for (const v of ['0.0.1', '1.2.2', '1.2.3', '3.1.4', '2.0.0-alpha', '2.0.0-rc.1', '10.0.0']) add('version', v);
  for (const t of ['2021-12-31T23:59:59.000Z', '2022-01-22T11:00:00.000Z', '2022-01-22T12:30:00.000Z', '2022-02-01T00:00:00.000Z']) add('currentTime', t);
  // Only well-formed inputs (README "Known divergences"): addresses, not ranges, as remoteAddress.
  const addresses = pools.get('remoteAddress');
  if (addresses) for (const a of [...addresses]) if (a.includes('/')) addresses.delete(a);
  return pools;
}

function randomContext(pools: Map<string, Set<string>>, next: () => number): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  const properties: Record<string, string> = {};
  for (const [field, values] of pools) {
    if (next() < 0.45) continue;
    const list = [...values];
    const value = list[Math.floor(next() * list.length)];
    if (TOP_LEVEL.has(field)) context[field] = value;
    else properties[field] = value;
  }
  if (Object.keys(properties).length > 0) context.properties = properties;
  return context;
}

interface Answer {
  readonly enabled: boolean;
  readonly variant: { readonly name: string; readonly enabled: boolean; readonly feature_enabled: boolean; readonly payload?: unknown };
}

/** What the SDK's Math.random returns while probing, and how often it was asked (see beforeAll). */
let sdkDraw = 0.5;
let sdkDraws = 0;

function referenceAnswer(client: UnleashClient, name: string, context: Record<string, unknown>, draw: number): Answer {
  sdkDraw = draw;
  const enabled = client.isEnabled(name, context as Context, () => false);
  const v = client.getVariant(name, context as Context);
  const variant = v.payload
    ? { name: v.name, enabled: v.enabled, payload: v.payload, feature_enabled: v.feature_enabled ?? false }
    : { name: v.name, enabled: v.enabled, feature_enabled: v.feature_enabled ?? false };
  return { enabled, variant };
}

const files = readJson('index.json') as string[];
const pools = valuePools(files);

describe('importer + engine agree with the reference Unleash Node SDK', () => {
  let spy: jest.SpyInstance<number, []>;
  beforeAll(() => {
    spy = jest.spyOn(Math, 'random').mockImplementation(() => {
      sdkDraws++;
      return sdkDraw;
    });
  });
  afterAll(() => spy.mockRestore());

  for (const file of files) {
    it(`${file}: every feature, ${SAMPLES_PER_FEATURE} generated contexts each`, () => {
      const spec = readJson(file) as { state: Record<string, unknown> };
      const { features, segments } = stateOf(spec);
      const byName = new Map(features.map((f) => [f.name, f]));
      const segmentsById = new Map(segments.map((s) => [s.id, s]));
      const repository = {
        getToggle: (name: string) => byName.get(name),
        getSegment: (id: number) => segmentsById.get(id),
      } as unknown as RepositoryInterface;
      const client = new UnleashClient(repository, defaultStrategies);
      client.on('warn', () => undefined);
      client.on('error', () => undefined);

      const imported = importUnleashFeatures({ features, segments }, { environment: ENVIRONMENT });
      const store = new InMemoryFlagStore(ENVIRONMENT);
      imported.segments.forEach((s) => expect(store.putSegment(s)).toEqual([]));
      imported.flags.forEach((f) => expect(store.putFlag(f)).toEqual([]));

      const next = prng(files.indexOf(file) + 1);
      let compared = 0;
      const mismatches: unknown[] = [];
      for (const feature of features) {
        for (let i = 0; i < SAMPLES_PER_FEATURE; i++) {
          const context = randomContext(pools, next);
          sdkDraws = 0;
          const answers = [JSON.stringify(referenceAnswer(client, feature.name, context, PROBE_DRAWS[0]))];
          // Only an evaluation that drew a random number can depend on it: probe those further.
          if (sdkDraws > 0) answers.push(...PROBE_DRAWS.slice(1).map((d) => JSON.stringify(referenceAnswer(client, feature.name, context, d))));
          if (new Set(answers).size > 1) continue; // depends on the draw
          const expected: unknown = JSON.parse(answers[0]);
          compared++;
          const now = Date.now();
          for (const draw of [0.123, 0.877]) {
            const actual = evaluateUnleash(store, feature.name, context, { now, random: () => draw });
            if (JSON.stringify(actual) !== answers[0]) mismatches.push({ feature: feature.name, context, draw, expected, actual });
          }
        }
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(compared).toBeGreaterThan(features.length * SAMPLES_PER_FEATURE * 0.5);
    }, 60_000);
  }
});

/**
 * Inputs on which importer + engine knowingly answer differently from the reference SDK, all of
 * them malformed or unusual (README "Known divergences"). Each case pins both answers, so a
 * change on either side (e.g. an engine change removing a divergence) shows up here.
 */
describe('known divergences from the reference Node SDK', () => {
  function answers(feature: Record<string, unknown>, context: Record<string, unknown>): { reference: boolean; flagpole: boolean } {
    const features = [{ name: 'f', enabled: true, ...feature }];
    const repository = { getToggle: (n: string) => (n === 'f' ? features[0] : undefined), getSegment: () => undefined };
    const client = new UnleashClient(repository as unknown as RepositoryInterface, defaultStrategies);
    const imported = importUnleashFeatures({ features }, { environment: ENVIRONMENT });
    const store = new InMemoryFlagStore(ENVIRONMENT);
    imported.flags.forEach((f) => expect(store.putFlag(f)).toEqual([]));
    return {
      reference: client.isEnabled('f', context as Context, () => false),
      flagpole: evaluateUnleash(store, 'f', context, { now: Date.now(), random: () => 0.5 }).enabled,
    };
  }
  const constraint = (c: Record<string, unknown>) => ({ strategies: [{ name: 'default', constraints: [c] }] });

  const cases: readonly { name: string; feature: Record<string, unknown>; context: Record<string, unknown>; reference: boolean }[] = [
    {
      name: 'non-ASCII stickiness values hash differently (Unleash hashes UTF-16 code units & 0xff, Flagpole UTF-8 bytes)',
      feature: { strategies: [{ name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'userId', groupId: 'g' } }] },
      context: { userId: 'Jürgen' },
      reference: true,
    },
    {
      name: 'NUM_* with a number not in JSON grammar (" 12": Number() trims, the engine does not)',
      feature: constraint({ contextName: 'n', operator: 'NUM_EQ', value: '12' }),
      context: { properties: { n: ' 12' } },
      reference: true,
    },
    {
      name: 'NUM_* with a hexadecimal string (Number("0x0C") is 12)',
      feature: constraint({ contextName: 'n', operator: 'NUM_EQ', value: '12' }),
      context: { properties: { n: '0x0C' } },
      reference: true,
    },
    {
      name: 'NUM_* with an empty string (Number("") is 0)',
      feature: constraint({ contextName: 'n', operator: 'NUM_LTE', value: '0' }),
      context: { properties: { n: '' } },
      reference: true,
    },
    {
      name: 'SEMVER_* with surrounding whitespace (node-semver trims, the engine is strict)',
      feature: constraint({ contextName: 'version', operator: 'SEMVER_EQ', value: '1.2.2' }),
      context: { properties: { version: ' 1.2.2' } },
      reference: true,
    },
    {
      name: 'IN_CIDR with a range, not an address, as the context value',
      feature: constraint({ contextName: 'remoteAddress', operator: 'IN_CIDR', values: ['160.33.0.0/16'] }),
      context: { remoteAddress: '160.33.0.0/16' },
      reference: true,
    },
    {
      name: 'IN_CIDR with an IPv4-mapped IPv6 address (the engine unwraps it to IPv4)',
      feature: constraint({ contextName: 'remoteAddress', operator: 'IN_CIDR', values: ['160.33.0.0/16'] }),
      context: { remoteAddress: '::ffff:160.33.0.33' },
      reference: false,
    },
    {
      name: 'currentTime given only in properties (Unleash date constraints then use the clock)',
      feature: constraint({ contextName: 'currentTime', operator: 'DATE_AFTER', value: '2023-01-01T00:00:00.000Z' }),
      context: { properties: { currentTime: '2020-01-01T00:00:00.000Z' } },
      reference: true,
    },
    {
      name: 'userId given only in properties (Unleash strategies read the top-level field only)',
      feature: { strategies: [{ name: 'userWithId', parameters: { userIds: '123' } }] },
      context: { properties: { userId: '123' } },
      reference: false,
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const { reference, flagpole } = answers(c.feature, c.context);
      expect({ reference, flagpole }).toEqual({ reference: c.reference, flagpole: !c.reference });
    });
  }
});
