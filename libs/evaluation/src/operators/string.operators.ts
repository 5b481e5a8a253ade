import type { JsonPrimitive } from '../model/flag.types';
import type { OperatorDefinition, ValueMatcher } from './operator.types';

type StringTest = (attribute: string, value: string) => boolean;

/** Only string attributes are tested: numbers are not converted (SPEC.md "Coercions"). */
function stringOperator(name: string, test: StringTest): OperatorDefinition {
  return {
    supportsCaseInsensitive: true,
    checkValue: (value) => (typeof value === 'string' ? undefined : `${name} needs string values`),
    compile: (values, caseInsensitive) => compileStrings(values, caseInsensitive, test),
  };
}

function compileStrings(values: readonly JsonPrimitive[], caseInsensitive: boolean, test: StringTest): ValueMatcher {
  const needles = values.map((v) => (caseInsensitive ? String(v).toLowerCase() : String(v)));
  return (attribute) => {
    if (typeof attribute !== 'string') return false;
    const haystack = caseInsensitive ? attribute.toLowerCase() : attribute;
    for (const needle of needles) if (test(haystack, needle)) return true;
    return false;
  };
}

/** `startsWith`: the string attribute begins with one of the values. */
export const startsWithOperator = stringOperator('startsWith', (a, v) => a.startsWith(v));
/** `endsWith`: the string attribute ends with one of the values. */
export const endsWithOperator = stringOperator('endsWith', (a, v) => a.endsWith(v));
/** `contains`: the string attribute contains one of the values as a substring. */
export const containsOperator = stringOperator('contains', (a, v) => a.includes(v));
