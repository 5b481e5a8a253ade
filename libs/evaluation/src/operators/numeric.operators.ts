import { toNumber } from '../parse/number.parse';
import type { OperatorDefinition } from './operator.types';

type NumberTest = (attribute: number, value: number) => boolean;

/** Values are JSON numbers; the attribute may be a number or a numeric string (SPEC.md). */
function numericOperator(name: string, test: NumberTest): OperatorDefinition {
  return {
    supportsCaseInsensitive: false,
    checkValue: (value) =>
      typeof value === 'number' && Number.isFinite(value) ? undefined : `${name} needs finite numbers`,
    compile: (values) => {
      const numbers = values.map(Number);
      return (attribute) => {
        const n = toNumber(attribute);
        if (n === undefined) return false;
        for (const value of numbers) if (test(n, value)) return true;
        return false;
      };
    },
  };
}

/** `lt`: attribute < value. */
export const ltOperator = numericOperator('lt', (a, v) => a < v);
/** `lte`: attribute ≤ value. */
export const lteOperator = numericOperator('lte', (a, v) => a <= v);
/** `gt`: attribute > value. */
export const gtOperator = numericOperator('gt', (a, v) => a > v);
/** `gte`: attribute ≥ value. */
export const gteOperator = numericOperator('gte', (a, v) => a >= v);
/** `eq`: attribute = value numerically (so "1.0" equals 1). */
export const eqOperator = numericOperator('eq', (a, v) => a === v);
