import type { Clause, Condition } from './flag.types';

/** The shape of a condition node, told apart by its single distinguishing key. */
export type ConditionKind = 'all' | 'any' | 'not' | 'percentage' | 'clause';

/** Classifies a (valid) condition node. */
export function conditionKind(condition: Condition): ConditionKind {
  if ('all' in condition) return 'all';
  if ('any' in condition) return 'any';
  if ('not' in condition) return 'not';
  if ('percentage' in condition) return 'percentage';
  return 'clause';
}

/** Narrows a condition known to be a clause. */
export function asClause(condition: Condition): Clause {
  return condition as Clause;
}
