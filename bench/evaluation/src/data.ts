/**
 * Engine-neutral description of the benchmark workload: the users, the five scenarios and the
 * expected answers. Every engine adapter translates this into its own flag format and context
 * shape, outside the timed loops.
 */

export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S4' | 'S5';
export const SCENARIOS: readonly ScenarioId[] = ['S1', 'S2', 'S3', 'S4', 'S5'];

export const SCENARIO_TITLES: Readonly<Record<ScenarioId, string>> = {
  S1: 'boolean flag on for everyone',
  S2: '10% rollout by user id (10,000 users)',
  S3: '(country in [US,CA,GB] AND plan = premium) OR email endsWith @example.com',
  S4: 'three string variants weighted 50/30/20',
  S5: 'random keys out of 10,000 flags',
};

/** Flag keys of the single-flag scenarios. */
export const FLAG_KEYS = { S1: 'bench-s1-on', S2: 'bench-s2-rollout', S3: 'bench-s3-targeting', S4: 'bench-s4-variants' } as const;

export const S2_SHARE = 0.1;
export const S4_VARIANTS = ['red', 'green', 'blue'] as const;
export type S4Variant = (typeof S4_VARIANTS)[number];
export const S4_WEIGHTS: Readonly<Record<S4Variant, number>> = { red: 0.5, green: 0.3, blue: 0.2 };
export const S3_COUNTRIES = ['US', 'CA', 'GB'] as const;
export const S3_PLAN = 'premium';
export const S3_EMAIL_SUFFIX = '@example.com';

export const USER_COUNT = 10_000;
export const S5_FLAG_COUNT = 10_000;
/** Number of (flag, user) pairs evaluated per pass in S5. */
export const S5_ITEMS = 10_000;

export interface User {
  readonly id: string;
  readonly country: string;
  readonly plan: string;
  readonly email: string;
}

/** One flag of S5: on, one rule `country in countries` serving true, fallthrough false. */
export interface S5Flag {
  readonly key: string;
  readonly countries: readonly string[];
}

export interface Workload {
  readonly users: readonly User[];
  readonly s5Flags: readonly S5Flag[];
  /** S5 work item i evaluates flag s5Flags[s5FlagIdx[i]] for users[s5UserIdx[i]]. */
  readonly s5FlagIdx: Int32Array;
  readonly s5UserIdx: Int32Array;
}

/** mulberry32: small, fast, seeded — the workload is identical on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = ['US', 'CA', 'GB', 'DE', 'FR', 'JP', 'BR', 'IN', 'AU', 'ES'];
const PLANS = ['free', 'free', 'team', 'premium'];
const DOMAINS = ['example.com', 'example.com', 'example.community', 'mail.test', 'corp.test', 'gmail.test', 'yahoo.test', 'example.org', 'outlook.test', 'proton.test'];

function hex(rand: () => number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

export function buildUsers(count = USER_COUNT, seed = 20240611): User[] {
  const rand = prng(seed);
  const users: User[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${hex(rand, 8)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 12)}`;
    const country = COUNTRIES[Math.floor(rand() * COUNTRIES.length)];
    const plan = PLANS[Math.floor(rand() * PLANS.length)];
    const domain = DOMAINS[Math.floor(rand() * DOMAINS.length)];
    users.push({ id, country, plan, email: `user.${hex(rand, 6)}@${domain}` });
  }
  return users;
}

export function buildS5Flags(count = S5_FLAG_COUNT, seed = 77): S5Flag[] {
  const rand = prng(seed);
  const flags: S5Flag[] = [];
  for (let i = 0; i < count; i++) {
    const a = COUNTRIES[Math.floor(rand() * COUNTRIES.length)];
    let b = COUNTRIES[Math.floor(rand() * COUNTRIES.length)];
    if (b === a) b = COUNTRIES[(COUNTRIES.indexOf(a) + 1) % COUNTRIES.length];
    flags.push({ key: `svc-${hex(rand, 4)}.feature-${i.toString(36)}-${hex(rand, 6)}`, countries: [a, b] });
  }
  return flags;
}

/**
 * Strings built by concatenation are V8 cons-strings (ropes); real contexts and flag keys arrive
 * through JSON.parse as flat strings. Round-tripping through JSON gives every engine flat strings.
 */
export function asParsed<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export function buildWorkload(): Workload {
  const users = asParsed(buildUsers());
  const s5Flags = asParsed(buildS5Flags());
  const rand = prng(4242);
  const s5FlagIdx = new Int32Array(S5_ITEMS);
  const s5UserIdx = new Int32Array(S5_ITEMS);
  for (let i = 0; i < S5_ITEMS; i++) {
    s5FlagIdx[i] = Math.floor(rand() * s5Flags.length);
    s5UserIdx[i] = Math.floor(rand() * users.length);
  }
  return { users, s5Flags, s5FlagIdx, s5UserIdx };
}

/** Number of work items per pass of a scenario. */
export function itemCount(w: Workload, s: ScenarioId): number {
  return s === 'S5' ? w.s5FlagIdx.length : w.users.length;
}

/** Reference answers of the deterministic scenarios, computed in plain JS. */
export function expectedS3(u: User): boolean {
  return ((S3_COUNTRIES as readonly string[]).includes(u.country) && u.plan === S3_PLAN) || u.email.endsWith(S3_EMAIL_SUFFIX);
}
export function expectedS5(w: Workload, i: number): boolean {
  return w.s5Flags[w.s5FlagIdx[i]].countries.includes(w.users[w.s5UserIdx[i]].country);
}

/** A workload for the heap measurement: `count` flags of the S5 shape. */
export function heapFlags(count: number): S5Flag[] {
  return asParsed(buildS5Flags(count, 99));
}
