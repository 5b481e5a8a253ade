import { BUCKETING_KEYS, checkBucketing } from './bucketing.validation';
import { validateClause } from './clause.validation';
import { LIMITS } from './limits';
import { checkArray, checkInteger, checkObject, here, indexPath, isRecord, keyPath, typeName, type ProblemSink } from './problem-sink';
import type { ValidationScope } from './scope.types';

const COMBINATORS = ['all', 'any', 'not', 'percentage'] as const;
type NodeShape = (typeof COMBINATORS)[number] | 'clause';

/**
 * Validates a condition tree. Depth and total node count are bounded before recursing, so a
 * deeply nested payload is reported, not followed into a stack overflow.
 */
export function validateCondition(input: unknown, path: string, depth: number, scope: ValidationScope, sink: ProblemSink): void {
  if (depth > LIMITS.maxConditionDepth) {
    sink.push({ path: here(path), problem: `conditions nested deeper than ${LIMITS.maxConditionDepth}` });
    return;
  }
  if (++scope.budget.nodes > LIMITS.maxConditionNodes) {
    if (!scope.budget.reported) sink.push({ path: here(path), problem: `more than ${LIMITS.maxConditionNodes} condition nodes` });
    scope.budget.reported = true;
    return;
  }
  if (!isRecord(input)) {
    sink.push({ path: here(path), problem: `condition must be an object (all, any, not, percentage or a clause), not ${typeName(input)}` });
    return;
  }
  const shape = shapeOf(input, path, sink);
  if (shape !== undefined) validateShape(shape, input, path, depth, scope, sink);
}

function shapeOf(input: Readonly<Record<string, unknown>>, path: string, sink: ProblemSink): NodeShape | undefined {
  const present = COMBINATORS.filter((key) => Object.hasOwn(input, key));
  if (present.length > 1) {
    sink.push({ path: here(path), problem: `condition has ${present.join(' and ')}: exactly one is allowed` });
    return undefined;
  }
  return present.length === 1 ? present[0] : 'clause';
}

function validateShape(
  shape: NodeShape,
  input: Readonly<Record<string, unknown>>,
  path: string,
  depth: number,
  scope: ValidationScope,
  sink: ProblemSink,
): void {
  switch (shape) {
    case 'all':
    case 'any':
      validateChildren(input, shape, path, depth, scope, sink);
      return;
    case 'not':
      if (checkObject(input, path, sink, ['not'])) validateCondition(input.not, keyPath(path, 'not'), depth + 1, scope, sink);
      return;
    case 'percentage':
      if (checkObject(input, path, sink, ['percentage'])) validatePercentage(input.percentage, keyPath(path, 'percentage'), sink);
      return;
    case 'clause':
      validateClause(input, path, scope, sink);
      return;
    default: {
      const exhaustive: never = shape;
      throw new Error(`unknown condition shape ${String(exhaustive)}`);
    }
  }
}

function validateChildren(
  input: Readonly<Record<string, unknown>>,
  key: 'all' | 'any',
  path: string,
  depth: number,
  scope: ValidationScope,
  sink: ProblemSink,
): void {
  if (!checkObject(input, path, sink, [key])) return;
  const childrenPath = keyPath(path, key);
  const children = input[key];
  if (!checkArray(children, childrenPath, sink, LIMITS.maxConditionChildren)) return;
  children.forEach((child, index) => validateCondition(child, indexPath(childrenPath, index), depth + 1, scope, sink));
}

/** A percentage condition: Bucketing plus an integer threshold from 0 to the modulus. */
export function validatePercentage(input: unknown, path: string, sink: ProblemSink): void {
  if (!checkObject(input, path, sink, ['threshold'], BUCKETING_KEYS)) return;
  const modulus = checkBucketing(input, path, sink);
  if (input.threshold !== undefined) {
    checkInteger(input.threshold, keyPath(path, 'threshold'), sink, 0, modulus ?? LIMITS.maxModulus);
  }
}
