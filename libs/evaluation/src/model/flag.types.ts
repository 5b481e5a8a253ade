/**
 * The flag configuration model: what an operator writes, what the control plane validates, what
 * the compacted topic carries and what every SDK evaluates. SPEC.md is the normative description;
 * these types are its TypeScript form. Everything is readonly: definitions are shared, never edited.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type FlagType = 'boolean' | 'string' | 'number' | 'json';

/** A flag with its variants and its configuration per environment (key = environment key). */
export interface FlagDefinition {
  readonly key: string;
  readonly type: FlagType;
  /** variant name → value; every value must match `type`. */
  readonly variants: Readonly<Record<string, JsonValue>>;
  readonly environments: Readonly<Record<string, FlagEnvironmentConfig>>;
}

/** How a flag behaves in one environment. */
export interface FlagEnvironmentConfig {
  readonly on: boolean;
  /** Served when `on` is false or a prerequisite fails. */
  readonly offVariant: string;
  /** Checked before rules: context values that always get a given variant. */
  readonly targets?: readonly Target[];
  /** Checked in order; the first whose condition holds decides. */
  readonly rules?: readonly Rule[];
  /** Served when no target or rule matched. */
  readonly fallthrough: Serve;
  /** Every prerequisite must hold, else the off variant is served with PREREQUISITE_FAILED. */
  readonly prerequisites?: readonly Prerequisite[];
}

export interface Target {
  readonly variant: string;
  /** Context attribute compared; `targetingKey` when omitted. */
  readonly attribute?: string;
  readonly values: readonly string[];
}

export interface Prerequisite {
  /** Key of another flag in the same environment. */
  readonly flag: string;
  /** The prerequisite holds when that flag serves one of these variants. */
  readonly variants: readonly string[];
}

export interface Rule {
  readonly id: string;
  readonly description?: string;
  readonly condition: Condition;
  readonly serve: Serve;
}

/** A boolean tree of clauses. `{ all: [] }` is true, `{ any: [] }` is false. */
export type Condition = AllCondition | AnyCondition | NotCondition | Clause | PercentageCondition;

export interface AllCondition {
  readonly all: readonly Condition[];
}
export interface AnyCondition {
  readonly any: readonly Condition[];
}
export interface NotCondition {
  readonly not: Condition;
}

export type Operator =
  | 'in'
  | 'startsWith'
  | 'endsWith'
  | 'contains'
  | 'matches'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'eq'
  | 'semverEq'
  | 'semverLt'
  | 'semverGt'
  | 'before'
  | 'after'
  | 'cidr'
  | 'exists'
  | 'segment';

export interface Clause {
  /** Context attribute; dots address nested objects (`user.address.country`). */
  readonly attribute: string;
  readonly operator: Operator;
  /** Any value matching makes the clause true (for `segment`: segment keys). */
  readonly values: readonly JsonPrimitive[];
  readonly caseInsensitive?: boolean;
}

/**
 * True for the given share of bucketed contexts (a gradual rollout that, when it does not hold,
 * lets evaluation continue with the next rule — the shape Unleash's gradual rollout needs).
 */
export interface PercentageCondition {
  readonly percentage: Bucketing & {
    /** Share in units of `modulus` (default 100,000 = 0.001 % steps) that makes the condition true. */
    readonly threshold: number;
  };
}

/** What a rule or the fallthrough serves. */
export type Serve = VariantServe | RolloutServe;
export interface VariantServe {
  readonly variant: string;
}
export interface RolloutServe {
  readonly rollout: Rollout;
}

/**
 * How a context is mapped to a bucket. Defaults give Flagpole's own scheme; the optional
 * `seed` and `modulus` exist so imported Unleash flags bucket exactly as Unleash does.
 */
export interface Bucketing {
  /** Attribute(s) whose value is hashed; the first present one wins. Default `targetingKey`. */
  readonly bucketBy?: string | readonly string[];
  /** Prefix of the hash input, usually the flag key; default the flag key. */
  readonly salt?: string;
  /** MurmurHash3 x86 32-bit seed; default 0. */
  readonly seed?: number;
  /** Number of buckets; default 100,000. */
  readonly modulus?: number;
}

export interface Rollout extends Bucketing {
  /** Weights in units of `modulus`; they must add up to exactly `modulus`. */
  readonly variants: readonly WeightedVariant[];
}

export interface WeightedVariant {
  readonly variant: string;
  readonly weight: number;
}

/** A reusable, per-environment set of contexts. */
export interface SegmentDefinition {
  readonly key: string;
  /** Values of `attribute` always in the segment (checked after `excluded`). */
  readonly included?: readonly string[];
  /** Values of `attribute` never in the segment. */
  readonly excluded?: readonly string[];
  /** Attribute compared with included/excluded; `targetingKey` when omitted. */
  readonly attribute?: string;
  /** Contexts satisfying this are in the segment; no condition means only `included`. */
  readonly condition?: Condition;
}
