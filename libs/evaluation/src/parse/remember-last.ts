const NOTHING = Symbol('nothing');

/**
 * Wraps a parser with a one-entry cache. Contexts in a process tend to repeat the same app version,
 * date or IP across evaluations, and re-parsing those dominated the clause cost; one entry per
 * compiled clause keeps that win without unbounded memory. Parsers must be pure and their results
 * never mutated.
 */
export function rememberLast<T>(parse: (value: unknown) => T): (value: unknown) => T {
  let lastInput: unknown = NOTHING;
  let lastOutput: T | undefined;
  return (value) => {
    if (value !== lastInput) {
      lastOutput = parse(value);
      lastInput = value;
    }
    return lastOutput as T;
  };
}
