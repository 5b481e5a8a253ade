import type { AllCondition, AnyCondition, Clause, Condition, NotCondition, PercentageCondition } from '../model/flag.types';
import { conditionKind } from '../model/condition-kind';
import { bucketByList, DEFAULT_MODULUS, DEFAULT_SEED } from '../hashing/bucket';
import { Bucketer } from './bucketing.compile';
import { clauseKey, compileClause } from './clause.compile';
import type { Predicate } from './compiled.types';
import { Interner, joinKey } from './interner';

/** What a condition needs to know about where it lives. */
export interface ConditionScope {
  /** Salt of percentage conditions without one: the flag key, or the segment key. */
  readonly defaultSalt: string;
  /** False inside segments: segments cannot reference segments, so membership cannot recurse. */
  readonly allowSegments: boolean;
}

const ALWAYS: Predicate = () => true;
const NEVER: Predicate = () => false;

/**
 * Compiles a condition tree into one predicate. Every node is shared with identical nodes of
 * other flags (see `Interner`): a predicate is a pure function of its node and scope, and the same
 * clauses recur across thousands of flags.
 */
export function compileCondition(condition: Condition, scope: ConditionScope): Predicate {
  return compileNode(condition, scope).predicate;
}

/**
 * A compiled node and the key that describes it completely, children included: a clause is a JSON
 * array, the others `all(k1,k2)`, `any(…)`, `not(k)`, `percentage([…])`. JSON text is
 * self-delimiting (brackets and commas inside strings are quoted), so distinct trees never share
 * a key.
 */
interface CompiledNode {
  readonly predicate: Predicate;
  readonly key: string;
}

// Bounded: conditions come from flag definitions, which an SDK receives without limit over time.
const predicates = new Interner<Predicate>(4096);

function compileNode(condition: Condition, scope: ConditionScope): CompiledNode {
  const kind = conditionKind(condition);
  switch (kind) {
    case 'all':
      return composite('all', (condition as AllCondition).all, scope, compileAll);
    case 'any':
      return composite('any', (condition as AnyCondition).any, scope, compileAny);
    case 'not': {
      const inner = compileNode((condition as NotCondition).not, scope);
      const key = joinKey(['not(', inner.key, ')']);
      return { key, predicate: predicates.intern(key, () => negate(inner.predicate)) };
    }
    case 'percentage': {
      const percentage = (condition as PercentageCondition).percentage;
      const key = percentageKey(percentage, scope);
      return { key, predicate: predicates.intern(key, () => compilePercentage(condition as PercentageCondition, scope)) };
    }
    case 'clause': {
      const key = clauseKey(condition as Clause, scope.allowSegments);
      return { key, predicate: predicates.intern(key, () => compileClause(condition as Clause, scope.allowSegments)) };
    }
    default: {
      const exhaustive: never = kind;
      throw new Error(`unknown condition kind ${String(exhaustive)}`);
    }
  }
}

function composite(
  name: 'all' | 'any',
  conditions: readonly Condition[],
  scope: ConditionScope,
  combine: (children: readonly Predicate[]) => Predicate,
): CompiledNode {
  const children = conditions.map((c) => compileNode(c, scope));
  // A single child is the child itself: no wrapper, and it shares the child's entry.
  if (children.length === 1) return children[0];
  const key = joinKey([name, '(', children.map((c) => c.key).join(','), ')']);
  return { key, predicate: predicates.intern(key, () => combine(children.map((c) => c.predicate))) };
}

function negate(inner: Predicate): Predicate {
  return (context, store, now) => !inner(context, store, now);
}

// Two children are the common case (`a and b`, `a or b`): no loop, no array.
function compileAll(children: readonly Predicate[]): Predicate {
  if (children.length === 0) return ALWAYS;
  if (children.length === 2) {
    const [first, second] = children;
    return (context, store, now) => first(context, store, now) && second(context, store, now);
  }
  return (context, store, now) => {
    for (let i = 0; i < children.length; i++) if (!children[i](context, store, now)) return false;
    return true;
  };
}

function compileAny(children: readonly Predicate[]): Predicate {
  if (children.length === 0) return NEVER;
  if (children.length === 2) {
    const [first, second] = children;
    return (context, store, now) => first(context, store, now) || second(context, store, now);
  }
  return (context, store, now) => {
    for (let i = 0; i < children.length; i++) if (children[i](context, store, now)) return true;
    return false;
  };
}

// Everything the bucket depends on, defaults resolved: the default salt makes percentage nodes
// per flag (or per segment) unless they name a salt of their own.
function percentageKey(percentage: PercentageCondition['percentage'], scope: ConditionScope): string {
  const salt = percentage.salt ?? scope.defaultSalt;
  const seed = percentage.seed ?? DEFAULT_SEED;
  const modulus = percentage.modulus ?? DEFAULT_MODULUS;
  return joinKey(['percentage(', JSON.stringify([salt, seed, modulus, bucketByList(percentage), percentage.threshold]), ')']);
}

function compilePercentage(condition: PercentageCondition, scope: ConditionScope): Predicate {
  const bucketer = new Bucketer(condition.percentage, scope.defaultSalt);
  const threshold = condition.percentage.threshold;
  return (context) => {
    const bucket = bucketer.bucketOf(context);
    return bucket !== undefined && bucket < threshold;
  };
}
