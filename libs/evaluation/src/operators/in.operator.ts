import type { JsonPrimitive } from '../model/flag.types';
import type { OperatorDefinition, ValueMatcher } from './operator.types';

/**
 * `in`: the attribute equals one of the values, with strict types (the string "1" is not the
 * number 1). Case insensitivity applies to strings only.
 */
export const inOperator: OperatorDefinition = {
  supportsCaseInsensitive: true,
  checkValue: (value) =>
    typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
      ? undefined
      : 'in needs strings, numbers or booleans',
  compile: (values, caseInsensitive) => (caseInsensitive ? compileFolded(values) : compileExact(values)),
};

// Up to this many values a linear scan beats a Set and weighs less.
const SMALL = 8;

function compileExact(values: readonly JsonPrimitive[]): ValueMatcher {
  if (values.length === 1) {
    const only = values[0];
    return (attribute) => attribute === only;
  }
  if (values.length <= SMALL) {
    const list = [...values];
    return (attribute) => list.includes(attribute as JsonPrimitive);
  }
  const set = new Set<unknown>(values);
  return (attribute) => set.has(attribute);
}

function compileFolded(values: readonly JsonPrimitive[]): ValueMatcher {
  const exact = compileExact(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v)));
  return (attribute) => exact(typeof attribute === 'string' ? attribute.toLowerCase() : attribute);
}
