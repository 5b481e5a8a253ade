// JSON's number grammar, nothing more: no whitespace, no hex, no "Infinity", so every SDK parses
// numeric strings identically.
const NUMERIC_STRING = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A context value as a number for numeric operators: finite numbers as they are, strings in JSON
 * number grammar parsed; anything else (booleans, other strings, objects) is not a number.
 */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.length <= 64 && NUMERIC_STRING.test(value)) {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}
