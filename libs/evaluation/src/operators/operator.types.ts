import type { JsonPrimitive, Operator } from '../model/flag.types';

/** Tests one present, non-array context value (arrays are spread by the clause, see SPEC.md). */
export type ValueMatcher = (attributeValue: unknown) => boolean;

/** Operators that compare the attribute with the clause values (all but `exists` and `segment`). */
export type ValueOperator = Exclude<Operator, 'exists' | 'segment'>;

/**
 * One operator: how its clause values are checked at validation time and compiled once into a
 * matcher. Validation and compilation share the same parsers so whatever validates compiles.
 */
export interface OperatorDefinition {
  /** Whether `caseInsensitive: true` means something for this operator. */
  readonly supportsCaseInsensitive: boolean;
  /** Why a clause value is unusable, or undefined when it is fine. */
  readonly checkValue: (value: JsonPrimitive, caseInsensitive: boolean) => string | undefined;
  /** Precomputes everything the values allow; only called with values that passed checkValue. */
  readonly compile: (values: readonly JsonPrimitive[], caseInsensitive: boolean) => ValueMatcher;
}
