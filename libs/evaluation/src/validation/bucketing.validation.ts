import { DEFAULT_MODULUS } from '../hashing/bucket';
import { checkAttributePath } from './attribute.validation';
import { LIMITS } from './limits';
import { checkArray, checkInteger, here, indexPath, keyPath, typeName, type ProblemSink } from './problem-sink';

/** Keys every Bucketing may have. */
export const BUCKETING_KEYS = ['bucketBy', 'salt', 'seed', 'modulus'] as const;

/**
 * Validates the Bucketing fields of an object already known to be one, and returns its modulus
 * (the default when absent, undefined when invalid) for the checks that depend on it.
 */
export function checkBucketing(input: Readonly<Record<string, unknown>>, path: string, sink: ProblemSink): number | undefined {
  if (input.bucketBy !== undefined) checkBucketBy(input.bucketBy, keyPath(path, 'bucketBy'), sink);
  if (input.salt !== undefined) checkSalt(input.salt, keyPath(path, 'salt'), sink);
  if (input.seed !== undefined) checkInteger(input.seed, keyPath(path, 'seed'), sink, 0, LIMITS.maxSeed);
  if (input.modulus === undefined) return DEFAULT_MODULUS;
  return checkInteger(input.modulus, keyPath(path, 'modulus'), sink, 1, LIMITS.maxModulus) ? input.modulus : undefined;
}

function checkBucketBy(value: unknown, path: string, sink: ProblemSink): void {
  if (typeof value === 'string') {
    checkAttributePath(value, path, sink);
    return;
  }
  if (!Array.isArray(value)) {
    sink.push({ path: here(path), problem: `bucketBy must be an attribute or a list of attributes, not ${typeName(value)}` });
    return;
  }
  if (!checkArray(value, path, sink, LIMITS.maxBucketBy, 1)) return;
  value.forEach((attribute, index) => checkAttributePath(attribute, indexPath(path, index), sink));
}

function checkSalt(value: unknown, path: string, sink: ProblemSink): void {
  if (typeof value !== 'string' || value.length > LIMITS.maxSaltLength) {
    sink.push({ path, problem: `salt must be a string of at most ${LIMITS.maxSaltLength} characters` });
  }
}
