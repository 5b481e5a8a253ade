import type { Condition, JsonPrimitive, Operator } from '../model/flag.types';
import { LIMITS } from '../validation/limits';

/** Small builders that keep imported condition trees flat and readable. */

export const TRUE: Condition = { all: [] };
export const FALSE: Condition = { any: [] };

export function isTrue(c: Condition): boolean {
  return 'all' in c && c.all.length === 0;
}

export function isFalse(c: Condition): boolean {
  return 'any' in c && c.any.length === 0;
}

/**
 * A clause. Every operator holds when any value matches, so a list longer than the engine's
 * per-clause limit (an Unleash user list can be) is split into an `any` of clauses.
 */
export function clause(attribute: string, operator: Operator, values: readonly JsonPrimitive[], caseInsensitive?: boolean): Condition {
  const one = (vs: readonly JsonPrimitive[]): Condition =>
    caseInsensitive ? { attribute, operator, values: vs, caseInsensitive: true } : { attribute, operator, values: vs };
  if (values.length <= LIMITS.maxClauseValues) return one(values);
  const chunks: Condition[] = [];
  for (let i = 0; i < values.length; i += LIMITS.maxClauseValues) chunks.push(one(values.slice(i, i + LIMITS.maxClauseValues)));
  return { any: chunks };
}

/** Conjunction: drops `true` members, collapses to `false` if any member is `false`, unwraps nested `all`. */
export function and(conditions: readonly Condition[]): Condition {
  const out: Condition[] = [];
  for (const c of conditions) {
    if (isFalse(c)) return FALSE;
    if (isTrue(c)) continue;
    if ('all' in c) out.push(...c.all);
    else out.push(c);
  }
  return out.length === 1 ? out[0] : { all: out };
}

/** Disjunction: drops `false` members, collapses to `true` if any member is `true`, unwraps nested `any`. */
export function or(conditions: readonly Condition[]): Condition {
  const out: Condition[] = [];
  for (const c of conditions) {
    if (isTrue(c)) return TRUE;
    if (isFalse(c)) continue;
    if ('any' in c) out.push(...c.any);
    else out.push(c);
  }
  return out.length === 1 ? out[0] : { any: out };
}

export function not(c: Condition): Condition {
  if (isTrue(c)) return FALSE;
  if (isFalse(c)) return TRUE;
  if ('not' in c) return c.not;
  return { not: c };
}
