import { checkEnvironmentConfig, type ValidationOptions } from './environment.validation';
import { ENVIRONMENT_KEY, FLAG_KEY } from './keys';
import { LIMITS } from './limits';
import { checkObject, checkPattern, here, isRecord, keyPath, typeName, type ProblemSink } from './problem-sink';
import type { Problem } from './problem.types';
import { FLAG_TYPES, checkVariants } from './variants.validation';

/**
 * Validates a whole flag definition, each environment included, with paths such as
 * `environments.production.rules[0].serve.variant`.
 */
export function validateFlagDefinition(input: unknown, options?: ValidationOptions): Problem[] {
  const sink: ProblemSink = [];
  if (!checkObject(input, '', sink, ['key', 'type', 'variants', 'environments'])) return sink;
  if (input.key !== undefined) checkPattern(input.key, 'key', sink, FLAG_KEY, 'flag key');
  const typeValid = FLAG_TYPES.includes(input.type as never);
  if (input.type !== undefined && !typeValid) {
    sink.push({ path: 'type', problem: `must be one of ${FLAG_TYPES.join(', ')}` });
  }
  if (input.variants !== undefined) checkVariants(input.type, input.variants, 'variants', sink);
  const variantNames = new Set(isRecord(input.variants) ? Object.keys(input.variants) : []);
  if (input.environments !== undefined) checkEnvironments(input.key, variantNames, input.environments, options ?? {}, sink);
  return sink;
}

function checkEnvironments(
  flagKey: unknown,
  variants: ReadonlySet<string>,
  environments: unknown,
  options: ValidationOptions,
  sink: ProblemSink,
): void {
  if (!isRecord(environments)) {
    sink.push({ path: 'environments', problem: `must be an object of environment key to configuration, not ${typeName(environments)}` });
    return;
  }
  const keys = Object.keys(environments);
  if (keys.length > LIMITS.maxEnvironments) {
    sink.push({ path: here('environments'), problem: `has ${keys.length} environments, at most ${LIMITS.maxEnvironments} allowed` });
    return;
  }
  for (const key of keys) {
    const path = keyPath('environments', key);
    checkPattern(key, path, sink, ENVIRONMENT_KEY, 'environment key');
    checkEnvironmentConfig(flagKey, variants, environments[key], path, options, sink);
  }
}
