import { attributeFor, RANDOM_ATTRIBUTE } from './attributes';

/**
 * How Unleash picks the value it hashes ("stickiness"), as Flagpole `bucketBy` lists (the first
 * present attribute wins). Unleash falls back to a fresh random number where it has no id; the
 * context adapter supplies that number as the attribute {@link RANDOM_ATTRIBUTE}, once per
 * evaluation, so every rule of one evaluation sees the same draw.
 */

/** MurmurHash3 seed of Unleash's strategy hashing (`normalizedStrategyValue`). */
export const UNLEASH_STRATEGY_SEED = 0;
/** MurmurHash3 seed of Unleash's variant hashing (`normalizedVariantValue`). */
export const UNLEASH_VARIANT_SEED = 86028157;
/** Unleash strategies hash into 1..100. */
export const UNLEASH_PERCENT_MODULUS = 100;


/**
 * `flexibleRollout` stickiness: `default` = userId, else sessionId, else random; `random` =
 * random; anything else = that context field, and no value means "not enabled".
 */
export function rolloutBucketBy(stickiness: string | undefined): readonly string[] {
  if (stickiness === undefined || stickiness === '' || stickiness === 'default') return ['userId', 'sessionId', RANDOM_ATTRIBUTE];
  if (stickiness === 'random') return [RANDOM_ATTRIBUTE];
  return [attributeFor(stickiness)];
}

/** Whether a `flexibleRollout` with this stickiness always finds a value to hash. */
export function rolloutAlwaysHasValue(stickiness: string | undefined): boolean {
  return rolloutBucketBy(stickiness).includes(RANDOM_ATTRIBUTE);
}

/**
 * Variant stickiness: `default` = userId, else sessionId, else remoteAddress, else random;
 * anything else = that context field, else random (variants never fail for lack of a value).
 */
export function variantBucketBy(stickiness: string | undefined): readonly string[] {
  if (stickiness === undefined || stickiness === '' || stickiness === 'default') {
    return ['userId', 'sessionId', 'remoteAddress', RANDOM_ATTRIBUTE];
  }
  return [attributeFor(stickiness), RANDOM_ATTRIBUTE];
}
