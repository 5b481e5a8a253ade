import type { EvaluationContext } from '../model/context.types';
import { Interner } from './interner';

/** Reads one attribute of a context; undefined when absent. */
export type AttributeReader = (context: EvaluationContext) => unknown;

/**
 * Compiles a dotted attribute path into a reader. Only own properties count, so `constructor` or
 * `__proto__` never reach the prototype chain; arrays are not walked into (no indexes in paths).
 */
export function compileAttributeReader(path: string): AttributeReader {
  return readers.intern(path, () => buildReader(path));
}

// Readers are pure functions of the path, and a few paths (targetingKey, country, email…) recur
// across thousands of flags.
const readers = new Interner<AttributeReader>(4096);

function buildReader(path: string): AttributeReader {
  if (path === 'targetingKey') return readTargetingKey;
  const segments = path.split('.');
  if (segments.length === 1) {
    // hasOwn only for present values: most reads of a missing attribute stop at the first load.
    return (context) => {
      const value = context[path];
      return value !== undefined && Object.hasOwn(context, path) ? value : undefined;
    };
  }
  return (context) => readPath(context, segments);
}

// The default attribute of targets, segment lists and bucketing, read by name: a named load is
// cached per context shape, where a load by a variable name is not.
function readTargetingKey(context: EvaluationContext): unknown {
  const value = context.targetingKey;
  return value !== undefined && Object.hasOwn(context, 'targetingKey') ? value : undefined;
}

function readPath(context: EvaluationContext, segments: readonly string[]): unknown {
  let current: unknown = context;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Readonly<Record<string, unknown>>)[segment];
  }
  return current;
}

/** Null counts as absent, like a missing attribute (SPEC.md "Missing attributes"). */
export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}
