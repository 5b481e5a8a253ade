import { RE2JS } from 're2js';
import type { OperatorDefinition } from './operator.types';

/** Patterns longer than this are refused: RE2 is linear in input, but not free in pattern size. */
export const MAX_PATTERN_LENGTH = 1024;

/**
 * `matches`: an RE2 pattern found anywhere in the string attribute (unanchored: use `^…$` for a
 * full match). RE2 runs in linear time, so no pattern can hang evaluation.
 */
export const matchesOperator: OperatorDefinition = {
  supportsCaseInsensitive: true,
  checkValue: (value, caseInsensitive) => {
    if (typeof value !== 'string') return 'matches needs string patterns';
    if (value.length > MAX_PATTERN_LENGTH) return `pattern longer than ${MAX_PATTERN_LENGTH} characters`;
    try {
      compilePattern(value, caseInsensitive);
      return undefined;
    } catch (error) {
      return `invalid RE2 pattern: ${error instanceof Error ? error.message : String(error)}`;
    }
  },
  compile: (values, caseInsensitive) => {
    const patterns = values.map((v) => compilePattern(String(v), caseInsensitive));
    return (attribute) => {
      if (typeof attribute !== 'string') return false;
      for (const pattern of patterns) if (pattern.test(attribute)) return true;
      return false;
    };
  },
};

function compilePattern(pattern: string, caseInsensitive: boolean): RE2JS {
  return RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
}
