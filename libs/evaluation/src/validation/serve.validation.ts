import { BUCKETING_KEYS, checkBucketing } from './bucketing.validation';
import { LIMITS } from './limits';
import { checkArray, checkObject, here, indexPath, isRecord, keyPath, typeName, type ProblemSink } from './problem-sink';

/** Checks that a variant reference names one of the flag's variants. */
export function checkVariantReference(value: unknown, path: string, variants: ReadonlySet<string>, sink: ProblemSink): void {
  if (typeof value !== 'string') sink.push({ path: here(path), problem: `must be a variant name, not ${typeName(value)}` });
  else if (!variants.has(value)) sink.push({ path: here(path), problem: `variant ${JSON.stringify(value)} does not exist` });
}

/** Validates a serve: exactly one of `variant` or `rollout`. */
export function validateServe(input: unknown, path: string, variants: ReadonlySet<string>, sink: ProblemSink): void {
  if (!isRecord(input)) {
    sink.push({ path: here(path), problem: `must be { variant } or { rollout }, not ${typeName(input)}` });
    return;
  }
  const hasVariant = Object.hasOwn(input, 'variant');
  const hasRollout = Object.hasOwn(input, 'rollout');
  if (hasVariant === hasRollout) {
    sink.push({ path: here(path), problem: 'must have exactly one of variant or rollout' });
    return;
  }
  if (hasVariant) {
    if (checkObject(input, path, sink, ['variant'])) checkVariantReference(input.variant, keyPath(path, 'variant'), variants, sink);
    return;
  }
  if (checkObject(input, path, sink, ['rollout'])) validateRollout(input.rollout, keyPath(path, 'rollout'), variants, sink);
}

/** A rollout: Bucketing plus weighted variants whose non-negative integer weights sum to the modulus. */
export function validateRollout(input: unknown, path: string, variants: ReadonlySet<string>, sink: ProblemSink): void {
  if (!checkObject(input, path, sink, ['variants'], BUCKETING_KEYS)) return;
  const modulus = checkBucketing(input, path, sink);
  const weightedPath = keyPath(path, 'variants');
  if (input.variants === undefined || !checkArray(input.variants, weightedPath, sink, LIMITS.maxRolloutVariants, 1)) return;
  let sum = 0;
  let weightsValid = true;
  input.variants.forEach((weighted, index) => {
    const weight = checkWeightedVariant(weighted, indexPath(weightedPath, index), variants, sink);
    if (weight === undefined) weightsValid = false;
    else sum += weight;
  });
  if (weightsValid && modulus !== undefined && input.variants.length > 0 && sum !== modulus) {
    sink.push({ path: weightedPath, problem: `weights sum to ${sum}, they must sum to the modulus ${modulus}` });
  }
}

function checkWeightedVariant(input: unknown, path: string, variants: ReadonlySet<string>, sink: ProblemSink): number | undefined {
  if (!checkObject(input, path, sink, ['variant', 'weight'])) return undefined;
  if (input.variant !== undefined) checkVariantReference(input.variant, keyPath(path, 'variant'), variants, sink);
  const weight = input.weight;
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0) {
    if (weight !== undefined) sink.push({ path: keyPath(path, 'weight'), problem: 'weight must be a non-negative integer' });
    return undefined;
  }
  return weight;
}
