import type { Bucketing } from '../model/flag.types';
import { murmurFinish, murmurPrefix } from './murmur3';

/** Buckets per rollout unless a flag says otherwise: 0.001 % steps. */
export const DEFAULT_MODULUS = 100_000;
/** MurmurHash3 seed unless a flag says otherwise. */
export const DEFAULT_SEED = 0;
/** Attribute hashed unless a flag says otherwise. */
export const DEFAULT_BUCKET_BY = 'targetingKey';

/**
 * The bucket of a value: MurmurHash3 x86 32-bit (unsigned) of the UTF-8 bytes of
 * `${salt}:${value}` with `seed`, modulo `modulus`. SPEC.md "Hashing" is normative.
 */
export function bucketOf(salt: string, value: string, seed: number, modulus: number): number {
  return (murmurFinish(murmurPrefix(`${salt}:`, seed), value) >>> 0) % modulus;
}

/**
 * The hash input form of a context value, or undefined when the value cannot be bucketed: strings
 * (non-empty) as they are, finite numbers in ECMAScript `Number#toString` form, booleans as
 * `true`/`false`. Empty strings count as absent, like a missing attribute.
 */
export function bucketKey(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/** The bucketBy attributes of a Bucketing as a list, defaulting to `targetingKey`. */
export function bucketByList(bucketing: Bucketing): readonly string[] {
  const { bucketBy } = bucketing;
  if (bucketBy === undefined) return [DEFAULT_BUCKET_BY];
  return typeof bucketBy === 'string' ? [bucketBy] : bucketBy;
}
