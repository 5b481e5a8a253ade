import type { Problem } from './problem.types';

/** Collects problems; validators append to it rather than returning arrays to concatenate. */
export type ProblemSink = Problem[];

/** A non-null, non-array object: the shape JSON objects have. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names a JSON type for messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `path.key`, or `path["odd key"]` when the key would be ambiguous in a dotted path. */
export function keyPath(path: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** `path[index]`. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Where a problem about the root itself is reported. */
export function here(path: string): string {
  return path === '' ? '$' : path;
}

/**
 * Checks that `value` is an object with the `required` keys and no keys outside `allowed`,
 * reporting each offence. Returns whether it is an object at all (so callers can look inside).
 */
export function checkObject(
  value: unknown,
  path: string,
  sink: ProblemSink,
  required: readonly string[],
  optional: readonly string[] = [],
): value is Readonly<Record<string, unknown>> {
  if (!isRecord(value)) {
    sink.push({ path: here(path), problem: `must be an object, not ${typeName(value)}` });
    return false;
  }
  for (const key of required) {
    if (!Object.hasOwn(value, key) || value[key] === undefined) sink.push({ path: keyPath(path, key), problem: 'is required' });
  }
  for (const key of Object.keys(value)) {
    if (!required.includes(key) && !optional.includes(key)) sink.push({ path: keyPath(path, key), problem: 'unknown property' });
  }
  return true;
}

/** Checks an array and its length bound; returns whether its elements may be inspected. */
export function checkArray(
  value: unknown,
  path: string,
  sink: ProblemSink,
  max: number,
  min = 0,
): value is readonly unknown[] {
  if (!Array.isArray(value)) {
    sink.push({ path: here(path), problem: `must be an array, not ${typeName(value)}` });
    return false;
  }
  if (value.length > max) {
    // Elements are not inspected: reporting each of a million would itself be the blow-up.
    sink.push({ path: here(path), problem: `has ${value.length} elements, at most ${max} allowed` });
    return false;
  }
  if (value.length < min) sink.push({ path: here(path), problem: `needs at least ${min} element${min === 1 ? '' : 's'}` });
  return true;
}

/** Checks a string against a pattern, reporting `what` it should have been. */
export function checkPattern(value: unknown, path: string, sink: ProblemSink, pattern: RegExp, what: string): value is string {
  if (typeof value !== 'string') {
    sink.push({ path: here(path), problem: `must be a string, not ${typeName(value)}` });
    return false;
  }
  if (!pattern.test(value)) {
    sink.push({ path: here(path), problem: `${JSON.stringify(value.slice(0, 80))} is not a valid ${what} (${pattern.source})` });
    return false;
  }
  return true;
}

/** Checks an integer within bounds. */
export function checkInteger(value: unknown, path: string, sink: ProblemSink, min: number, max: number): value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    sink.push({ path: here(path), problem: `must be an integer from ${min} to ${max}` });
    return false;
  }
  return true;
}
