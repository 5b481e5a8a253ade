import type { FlagType } from '../model/flag.types';
import { validateJsonValue } from './json-value.validation';
import { VARIANT_NAME } from './keys';
import { LIMITS } from './limits';
import { checkPattern, here, isRecord, keyPath, typeName, type ProblemSink } from './problem-sink';
import type { Problem } from './problem.types';

/** The flag types of the model. */
export const FLAG_TYPES: readonly FlagType[] = ['boolean', 'string', 'number', 'json'];

/**
 * Validates a flag's variants: a non-empty object of at most 100 variants whose names match
 * `^[A-Za-z0-9_.-]{1,64}$` and whose values match the flag type. Boolean flags may name their
 * variants freely (conventionally `on` → true, `off` → false) but every value must be a boolean.
 */
export function validateVariants(type: FlagType, variants: unknown): Problem[] {
  const sink: ProblemSink = [];
  checkVariants(type, variants, 'variants', sink);
  return sink;
}

/** validateVariants writing into a sink at a given path. */
export function checkVariants(type: unknown, variants: unknown, path: string, sink: ProblemSink): void {
  if (!isRecord(variants)) {
    sink.push({ path: here(path), problem: `must be an object of variant name to value, not ${typeName(variants)}` });
    return;
  }
  const names = Object.keys(variants);
  if (names.length === 0) sink.push({ path: here(path), problem: 'needs at least one variant' });
  if (names.length > LIMITS.maxVariants) {
    sink.push({ path: here(path), problem: `has ${names.length} variants, at most ${LIMITS.maxVariants} allowed` });
    return;
  }
  for (const name of names) {
    const variantPath = keyPath(path, name);
    checkPattern(name, variantPath, sink, VARIANT_NAME, 'variant name');
    checkVariantValue(type, variants[name], variantPath, sink);
  }
}

function checkVariantValue(type: unknown, value: unknown, path: string, sink: ProblemSink): void {
  const typeProblem = valueTypeProblem(type, value);
  if (typeProblem !== undefined) sink.push({ path, problem: typeProblem });
  else if (type === 'json') validateJsonValue(value, path, sink);
}

function valueTypeProblem(type: unknown, value: unknown): string | undefined {
  if (!FLAG_TYPES.includes(type as FlagType)) return undefined; // the type itself is reported elsewhere
  const flagType = type as FlagType;
  switch (flagType) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be a boolean for a boolean flag, not ${typeName(value)}`;
    case 'string':
      if (typeof value !== 'string') return `must be a string for a string flag, not ${typeName(value)}`;
      return value.length > LIMITS.maxStringVariantLength ? `longer than ${LIMITS.maxStringVariantLength} characters` : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `must be a finite number for a number flag, not ${typeName(value)}`;
    case 'json':
      return value === undefined ? 'must be a JSON value' : undefined;
    default: {
      const exhaustive: never = flagType;
      return `unknown flag type ${String(exhaustive)}`;
    }
  }
}
