import { toEpochMillis } from '../parse/date.parse';
import { rememberLast } from '../parse/remember-last';
import type { OperatorDefinition } from './operator.types';

type InstantTest = (attribute: number, value: number) => boolean;

function dateOperator(name: string, test: InstantTest): OperatorDefinition {
  return {
    supportsCaseInsensitive: false,
    checkValue: (value) =>
      toEpochMillis(value) === undefined ? `${name} needs ISO-8601 dates or epoch milliseconds` : undefined,
    compile: (values) => {
      const instants = values.map((v) => toEpochMillis(v)).filter((v): v is number => v !== undefined);
      const parseAttribute = rememberLast(toEpochMillis);
      return (attribute) => {
        const instant = parseAttribute(attribute);
        if (instant === undefined) return false;
        for (const value of instants) if (test(instant, value)) return true;
        return false;
      };
    },
  };
}

/** `before`: the attribute instant is strictly earlier than a value. */
export const beforeOperator = dateOperator('before', (a, v) => a < v);
/** `after`: the attribute instant is strictly later than a value. */
export const afterOperator = dateOperator('after', (a, v) => a > v);
