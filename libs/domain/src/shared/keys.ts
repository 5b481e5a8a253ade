import type { Problem } from './problem.types';

// Keys end up in Kafka topic names (environments) and record keys, so they stay within
// Kafka's legal topic characters and a readable length.
const KEY_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,99}$/;
const ENV_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function checkKey(value: unknown, field: string): Problem[] {
  if (typeof value !== 'string') return [{ field, problem: 'must be a string' }];
  if (!KEY_PATTERN.test(value)) {
    return [{ field, problem: 'must be 1-100 characters of a-z, 0-9, "_", "." or "-", starting with a letter or digit' }];
  }
  return [];
}

export function checkEnvironmentKey(value: unknown, field: string): Problem[] {
  if (typeof value !== 'string') return [{ field, problem: 'must be a string' }];
  if (!ENV_KEY_PATTERN.test(value)) {
    return [{ field, problem: 'must be 1-63 characters of a-z, 0-9 or "-", starting with a letter or digit' }];
  }
  return [];
}

export function checkText(value: unknown, field: string, max: number, required: boolean): Problem[] {
  if (value === undefined || value === null) return required ? [{ field, problem: 'is required' }] : [];
  if (typeof value !== 'string') return [{ field, problem: 'must be a string' }];
  if (required && value.trim().length === 0) return [{ field, problem: 'must not be blank' }];
  if (value.length > max) return [{ field, problem: `must be at most ${max} characters` }];
  return [];
}
