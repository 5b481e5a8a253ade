import type { Clause, JsonPrimitive } from '../model/flag.types';
import type { EvaluationContext } from '../model/context.types';
import { DATE_OPERATORS, VALUE_OPERATORS, isValueOperator } from '../operators/operator-registry';
import type { ValueMatcher } from '../operators/operator.types';
import { compileAttributeReader, isPresent, type AttributeReader } from './attribute.compile';
import type { FlagStore, Predicate } from './compiled.types';

const NEVER: Predicate = () => false;

/** Everything a compiled clause depends on, so equal keys may share one predicate. */
export function clauseKey(clause: Clause, allowSegments: boolean): string {
  return JSON.stringify([clause.operator, clause.attribute, clause.values, clause.caseInsensitive === true, allowSegments]);
}

/**
 * Compiles a clause into one predicate. The common clause — a top-level attribute such as
 * `country` or `plan` — reads the attribute in the same closure that tests it, and `in` over a
 * few values compares directly: each closure layer is a call on every evaluation.
 */
export function compileClause(clause: Clause, allowSegments: boolean): Predicate {
  const { operator, attribute } = clause;
  if (operator === 'segment') return allowSegments ? segmentClause(clause.values) : NEVER;
  if (operator === 'exists') return existsClause(compileAttributeReader(attribute));
  if (!isValueOperator(operator)) return NEVER;
  const caseInsensitive = clause.caseInsensitive === true;
  if (operator === 'in' && !caseInsensitive && isSmallList(clause.values) && isTopLevel(attribute)) {
    return smallInClause(attribute, clause.values);
  }
  const matcher = VALUE_OPERATORS[operator].compile(clause.values, caseInsensitive);
  if (attribute === 'currentTime' && DATE_OPERATORS.has(operator)) return nowClause(compileAttributeReader(attribute), matcher);
  if (isTopLevel(attribute)) return topLevelClause(attribute, matcher);
  return pathClause(compileAttributeReader(attribute), matcher);
}

function isTopLevel(path: string): boolean {
  return !path.includes('.');
}

/*
 * Attribute semantics (SPEC.md §4, §5): only own properties count, null is missing, and an array
 * matches when one of its non-null elements does. The own-property check comes last: it is only
 * needed once a value would match, and most clauses do not match.
 */

function topLevelClause(name: string, matcher: ValueMatcher): Predicate {
  return (context) => {
    const value = context[name];
    if (value === undefined || value === null) return false;
    if (typeof value !== 'object') return matcher(value) && Object.hasOwn(context, name);
    return Object.hasOwn(context, name) && matchObject(matcher, value);
  };
}

function pathClause(read: AttributeReader, matcher: ValueMatcher): Predicate {
  return (context) => {
    const value = read(context);
    if (value === undefined || value === null) return false;
    return typeof value === 'object' ? matchObject(matcher, value) : matcher(value);
  };
}

// `before`/`after` on `currentTime` fall back to the evaluation's `now` when the context lacks it.
function nowClause(read: AttributeReader, matcher: ValueMatcher): Predicate {
  return (context, _store, now) => {
    const value = read(context);
    if (value !== undefined && value !== null) return typeof value === 'object' ? matchObject(matcher, value) : matcher(value);
    return now !== undefined && matcher(now);
  };
}

function existsClause(read: AttributeReader): Predicate {
  return (context) => isPresent(read(context));
}

// An array attribute matches when any of its elements does (a user in several groups); other
// objects go to the matcher, which refuses them.
function matchObject(matcher: ValueMatcher, value: object): boolean {
  if (!Array.isArray(value)) return matcher(value);
  for (const element of value) if (isPresent(element) && matcher(element)) return true;
  return false;
}

/** Up to this many values, `in` is four `===` in the clause itself (missing slots repeat the first). */
const SMALL_IN = 4;

// Only lists validation would accept (1 to 4 non-null primitives): `evaluate` also compiles
// unvalidated definitions, and an empty slot must not equal an absent attribute.
function isSmallList(values: readonly JsonPrimitive[]): boolean {
  if (values.length === 0 || values.length > SMALL_IN) return false;
  return values.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
}

// `in` compares with strict equality by JSON type, which is `===` for primitives (values are never
// NaN). A primitive equal to a value is present, so only the own-property check remains.
function smallInClause(name: string, values: readonly JsonPrimitive[]): Predicate {
  const [a, b = a, c = a, d = a] = values;
  return (context) => {
    const value = context[name];
    if (value === a || value === b || value === c || value === d) return Object.hasOwn(context, name);
    if (!Array.isArray(value) || !Object.hasOwn(context, name)) return false;
    for (const element of value) if (element === a || element === b || element === c || element === d) return true;
    return false;
  };
}

function segmentClause(values: readonly JsonPrimitive[]): Predicate {
  const keys = values.filter((v): v is string => typeof v === 'string');
  return (context: EvaluationContext, store: FlagStore, now: number | undefined) => {
    for (const key of keys) {
      const segment = store.getSegment(key);
      if (segment !== undefined && segment.contains(context, store, now)) return true;
    }
    return false;
  };
}
