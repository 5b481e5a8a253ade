import type { Operator } from '../model/flag.types';
import { cidrOperator } from './cidr.operator';
import { afterOperator, beforeOperator } from './date.operators';
import { inOperator } from './in.operator';
import { matchesOperator } from './matches.operator';
import { eqOperator, gteOperator, gtOperator, lteOperator, ltOperator } from './numeric.operators';
import type { OperatorDefinition, ValueOperator } from './operator.types';
import { semverEqOperator, semverGtOperator, semverLtOperator } from './semver.operators';
import { containsOperator, endsWithOperator, startsWithOperator } from './string.operators';

/** Every value operator; `exists` and `segment` are structural and live in the condition compiler. */
export const VALUE_OPERATORS: Readonly<Record<ValueOperator, OperatorDefinition>> = {
  in: inOperator,
  startsWith: startsWithOperator,
  endsWith: endsWithOperator,
  contains: containsOperator,
  matches: matchesOperator,
  lt: ltOperator,
  lte: lteOperator,
  gt: gtOperator,
  gte: gteOperator,
  eq: eqOperator,
  semverEq: semverEqOperator,
  semverLt: semverLtOperator,
  semverGt: semverGtOperator,
  before: beforeOperator,
  after: afterOperator,
  cidr: cidrOperator,
};

/** Operators whose attribute `currentTime` falls back to the evaluation's `now`. */
export const DATE_OPERATORS: ReadonlySet<Operator> = new Set<Operator>(['before', 'after']);

/** Whether a string names an operator of the model. */
export function isOperator(name: unknown): name is Operator {
  return typeof name === 'string' && (name === 'exists' || name === 'segment' || Object.hasOwn(VALUE_OPERATORS, name));
}

/** Whether an operator compares values (everything but `exists` and `segment`). */
export function isValueOperator(operator: Operator): operator is ValueOperator {
  return Object.hasOwn(VALUE_OPERATORS, operator);
}
