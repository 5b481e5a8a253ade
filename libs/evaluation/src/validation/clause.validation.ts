import type { JsonPrimitive, Operator } from '../model/flag.types';
import { VALUE_OPERATORS, isOperator, isValueOperator } from '../operators/operator-registry';
import { checkAttributePath } from './attribute.validation';
import { SEGMENT_KEY } from './keys';
import { LIMITS } from './limits';
import { checkArray, checkObject, indexPath, keyPath, typeName, type ProblemSink } from './problem-sink';
import type { ValidationScope } from './scope.types';

const CLAUSE_KEYS = ['attribute', 'operator', 'values'] as const;
const CLAUSE_OPTIONAL = ['caseInsensitive'] as const;

/** Validates a clause: attribute path, known operator, values well-typed for that operator. */
export function validateClause(input: unknown, path: string, scope: ValidationScope, sink: ProblemSink): void {
  if (!checkObject(input, path, sink, CLAUSE_KEYS, CLAUSE_OPTIONAL)) return;
  if (input.attribute !== undefined) checkAttributePath(input.attribute, keyPath(path, 'attribute'), sink);
  const operator = checkOperator(input.operator, keyPath(path, 'operator'), scope, sink);
  const caseInsensitive = checkCaseInsensitive(input.caseInsensitive, operator, keyPath(path, 'caseInsensitive'), sink);
  if (operator !== undefined && input.values !== undefined) {
    checkValues(operator, input.values, caseInsensitive, keyPath(path, 'values'), scope, sink);
  }
}

function checkOperator(value: unknown, path: string, scope: ValidationScope, sink: ProblemSink): Operator | undefined {
  if (value === undefined) return undefined;
  if (!isOperator(value)) {
    sink.push({ path, problem: `unknown operator ${JSON.stringify(typeof value === 'string' ? value : typeName(value))}` });
    return undefined;
  }
  if (value === 'segment' && scope.inSegment) {
    sink.push({ path, problem: 'segments cannot reference other segments' });
    return undefined;
  }
  return value;
}

function checkCaseInsensitive(value: unknown, operator: Operator | undefined, path: string, sink: ProblemSink): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    sink.push({ path, problem: `must be a boolean, not ${typeName(value)}` });
    return false;
  }
  if (value && operator !== undefined && !(isValueOperator(operator) && VALUE_OPERATORS[operator].supportsCaseInsensitive)) {
    sink.push({ path, problem: `caseInsensitive applies to string operators only, not ${operator}` });
  }
  return value;
}

function checkValues(
  operator: Operator,
  values: unknown,
  caseInsensitive: boolean,
  path: string,
  scope: ValidationScope,
  sink: ProblemSink,
): void {
  if (!checkArray(values, path, sink, LIMITS.maxClauseValues)) return;
  if (operator === 'exists') {
    if (values.length > 0) sink.push({ path, problem: 'exists takes no values (negate it with not)' });
    return;
  }
  if (values.length === 0) {
    sink.push({ path, problem: `${operator} needs at least one value` });
    return;
  }
  values.forEach((value, index) => {
    const problem = valueProblem(operator, value, caseInsensitive, scope);
    if (problem !== undefined) sink.push({ path: indexPath(path, index), problem });
  });
}

function valueProblem(operator: Operator, value: unknown, caseInsensitive: boolean, scope: ValidationScope): string | undefined {
  if (!isPrimitive(value)) return `must be a string, number or boolean, not ${typeName(value)}`;
  if (typeof value === 'string' && value.length > LIMITS.maxClauseStringLength) {
    return `longer than ${LIMITS.maxClauseStringLength} characters`;
  }
  if (operator === 'segment') return segmentReferenceProblem(value, scope);
  if (!isValueOperator(operator)) return undefined;
  return VALUE_OPERATORS[operator].checkValue(value, caseInsensitive);
}

function segmentReferenceProblem(value: JsonPrimitive, scope: ValidationScope): string | undefined {
  if (typeof value !== 'string' || !SEGMENT_KEY.test(value)) return 'segment needs segment keys';
  if (scope.segmentExists !== undefined && !scope.segmentExists(value)) return `segment ${JSON.stringify(value)} does not exist`;
  return undefined;
}

function isPrimitive(value: unknown): value is JsonPrimitive {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number';
}
