import type { Condition, JsonValue, Serve, WeightedVariant } from '../model/flag.types';
import { answerToJson, DISABLED_ANSWER, ENABLED_NO_VARIANT_ANSWER, variantAnswer, type UnleashAnswer } from './answers';
import { attributeFor } from './attributes';
import { and, clause, FALSE, isFalse, or } from './conditions';
import { variantKeyFor } from './keys';
import { UNLEASH_VARIANT_SEED, variantBucketBy } from './stickiness';
import type { UnleashVariant } from './unleash.types';

/** Variant name of the answer "disabled" (Unleash: feature off, or no strategy matched). */
export const OFF_VARIANT = 'off';
/** Variant name of the answer "enabled, no variant" (Unleash: enabled, `disabled` variant). */
export const ON_VARIANT = 'on';

/**
 * The variants of one imported flag: each distinct Unleash answer gets one Flagpole variant.
 * `off` and `on` always exist; Unleash variants are named after their Unleash name (sanitised,
 * suffixed `-2`, `-3`… when two answers would share a name, e.g. two strategies defining the
 * same variant name with different payloads).
 */
export class AnswerTable {
  private readonly byJson = new Map<string, string>();
  private readonly taken = new Set<string>();
  readonly variants: Record<string, JsonValue> = {};
  readonly answers = new Map<string, UnleashAnswer>();

  constructor() {
    this.put(OFF_VARIANT, DISABLED_ANSWER);
    this.put(ON_VARIANT, ENABLED_NO_VARIANT_ANSWER);
  }

  /** The variant name serving an Unleash variant. */
  keyOf(variant: UnleashVariant): string {
    const answer = variantAnswer(variant.name, variant.payload);
    const json = JSON.stringify(answerToJson(answer));
    const existing = this.byJson.get(json);
    if (existing !== undefined) return existing;
    const key = variantKeyFor(variant.name, this.taken);
    this.put(key, answer);
    return key;
  }

  /** Drops the variants nothing serves (`off` always stays: it is the off variant). */
  retainOnly(served: ReadonlySet<string>): void {
    for (const key of [...this.answers.keys()]) {
      if (key === OFF_VARIANT || served.has(key)) continue;
      this.answers.delete(key);
      delete this.variants[key];
    }
  }

  private put(key: string, answer: UnleashAnswer): void {
    const json = answerToJson(answer);
    this.byJson.set(JSON.stringify(json), key);
    this.taken.add(key);
    this.variants[key] = json;
    this.answers.set(key, answer);
  }
}

/** A list of Unleash variants with the hashing Unleash applies to it. */
export interface VariantSet {
  readonly variants: readonly UnleashVariant[];
  /** Hash prefix: the feature name (feature variants) or `${groupId}` (strategy variants). */
  readonly salt: string;
  readonly stickiness: string | undefined;
}

/** A rule-to-be: a condition and what it serves. */
export interface Branch {
  readonly id: string;
  readonly description: string;
  readonly condition: Condition;
  readonly serve: Serve;
}

/** Every variant a serve can produce. */
export function servedVariants(serve: Serve): string[] {
  return 'variant' in serve ? [serve.variant] : serve.rollout.variants.map((v) => v.variant);
}

/** Unleash: a variant list is used only when its total weight is positive. */
export function usable(variants: readonly UnleashVariant[] | undefined): boolean {
  return variants !== undefined && variants.reduce((sum, v) => sum + v.weight, 0) > 0;
}

/**
 * The branches serving "enabled" under `condition`: with a variant set, first one branch per
 * variant with overrides (Unleash checks overrides in list order, before hashing, and an
 * override can pick even a zero-weight variant), then the weighted pick; without one, `on`.
 */
export function enabledBranches(
  condition: Condition,
  set: VariantSet | undefined,
  table: AnswerTable,
  id: string,
  description: string,
): Branch[] {
  if (set === undefined) return [{ id, description, condition, serve: { variant: ON_VARIANT } }];
  const branches: Branch[] = [];
  set.variants.forEach((variant, j) => {
    if (!variant.overrides?.length) return;
    const matches = or(
      variant.overrides.map((o) => (o.values.length === 0 ? FALSE : clause(attributeFor(o.contextName), 'in', o.values))),
    );
    if (isFalse(matches)) return;
    branches.push({
      id: `${id}.override-${j}`,
      description: `${description}, override for variant ${variant.name}`,
      condition: and([condition, matches]),
      serve: { variant: table.keyOf(variant) },
    });
  });
  branches.push({ id, description, condition, serve: weightedServe(set, table) });
  return branches;
}

/**
 * Unleash: `target = hash(salt:stickinessValue, seed 86028157) % total + 1`, the first variant
 * whose running weight reaches target. With `bucket = target - 1`, that is the first variant whose
 * running weight exceeds bucket: a Flagpole rollout with modulus = total weight.
 */
function weightedServe(set: VariantSet, table: AnswerTable): Serve {
  const weighted = set.variants.filter((v) => v.weight > 0);
  if (weighted.length === 1) return { variant: table.keyOf(weighted[0]) };
  const total = weighted.reduce((sum, v) => sum + v.weight, 0);
  const variants: WeightedVariant[] = weighted.map((v) => ({ variant: table.keyOf(v), weight: v.weight }));
  return {
    rollout: {
      bucketBy: [...variantBucketBy(set.stickiness)],
      salt: set.salt,
      seed: UNLEASH_VARIANT_SEED,
      modulus: total,
      variants,
    },
  };
}
