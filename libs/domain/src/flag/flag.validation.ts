import { validateVariants, type FlagType, type JsonValue } from '@flagpole/evaluation';
import { fromEvaluationProblems } from '../shared/evaluation-problems';
import { checkText } from '../shared/keys';
import type { Problem } from '../shared/problem.types';
import { FLAG_KINDS, FLAG_TYPES, type FlagKind, type Variants } from './flag.types';

const TAG_PATTERN = /^[a-z0-9][a-z0-9:_.-]{0,49}$/;
const MAX_TAGS = 20;
const DAY_MS = 86_400_000;

// Temporary kinds get an expiry so stale flags surface; permanent kinds do not.
const DEFAULT_LIFETIME_DAYS: Readonly<Record<FlagKind, number | null>> = {
  release: 90,
  experiment: 60,
  operational: null,
  permission: null,
};

export function isFlagKind(value: unknown): value is FlagKind {
  return typeof value === 'string' && (FLAG_KINDS as readonly string[]).includes(value);
}

export function checkKind(value: unknown, field = 'kind'): Problem[] {
  return value === undefined || isFlagKind(value) ? [] : [{ field, problem: `must be one of ${FLAG_KINDS.join(', ')}` }];
}

export function checkType(value: unknown, field = 'type'): Problem[] {
  return typeof value === 'string' && (FLAG_TYPES as readonly string[]).includes(value)
    ? []
    : [{ field, problem: `must be one of ${FLAG_TYPES.join(', ')}` }];
}

export function checkTags(value: unknown, field = 'tags'): Problem[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [{ field, problem: 'must be an array of strings' }];
  const problems: Problem[] = [];
  if (value.length > MAX_TAGS) problems.push({ field, problem: `must have at most ${MAX_TAGS} tags` });
  value.forEach((tag: unknown, i) => {
    if (typeof tag !== 'string' || !TAG_PATTERN.test(tag)) {
      problems.push({ field: `${field}[${i}]`, problem: 'must be 1-50 characters of a-z, 0-9, ":", "_", "." or "-"' });
    }
  });
  if (new Set(value).size !== value.length) problems.push({ field, problem: 'must not repeat a tag' });
  return problems;
}

export function checkExpiresAt(value: unknown, field = 'expiresAt'): Problem[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value) || Number.isNaN(Date.parse(value))) {
    return [{ field, problem: 'must be an ISO-8601 date or null' }];
  }
  return [];
}

export function defaultExpiry(kind: FlagKind, now: string): string | null {
  const days = DEFAULT_LIFETIME_DAYS[kind];
  return days === null ? null : new Date(Date.parse(now) + days * DAY_MS).toISOString();
}

export function normaliseExpiry(value: string | null): string | null {
  return value === null ? null : new Date(Date.parse(value)).toISOString();
}

/** Boolean flags need no variants from the caller: `on` serves true, `off` serves false. */
export function variantsOrDefault(type: FlagType, variants: unknown): unknown {
  return variants === undefined && type === 'boolean' ? { on: true, off: false } : variants;
}

export interface ResolvedVariants {
  readonly variants: Variants;
  readonly onVariant: string;
  readonly offVariant: string;
}

/**
 * Validates variants and picks the default on/off variants: for booleans the ones serving
 * true/false, otherwise the first and last variant unless the caller names them.
 */
export function resolveVariants(
  type: FlagType,
  variants: unknown,
  onVariant: unknown,
  offVariant: unknown,
): { problems: Problem[]; resolved?: ResolvedVariants } {
  const problems = fromEvaluationProblems(validateVariants(type, variants), '');
  if (problems.length > 0) return { problems };
  const valid = variants as Variants;
  const names = Object.keys(valid);
  const byValue = (target: JsonValue) => names.find((n) => valid[n] === target);
  const on = onVariant ?? (type === 'boolean' ? byValue(true) : names[0]);
  const off = offVariant ?? (type === 'boolean' ? byValue(false) : names[names.length - 1]);
  for (const [field, name] of [['onVariant', on], ['offVariant', off]] as const) {
    if (typeof name !== 'string' || !Object.hasOwn(valid, name)) {
      problems.push({ field, problem: `must name one of the variants (${names.join(', ')})` });
    }
  }
  return problems.length > 0 ? { problems } : { problems, resolved: { variants: valid, onVariant: on as string, offVariant: off as string } };
}

export function checkMetadataFields(data: {
  name?: unknown;
  description?: unknown;
  owner?: unknown;
  kind?: unknown;
  tags?: unknown;
  expiresAt?: unknown;
}, nameRequired: boolean): Problem[] {
  return [
    // An update may omit the name, but a name it gives must not be blank either.
    ...checkText(data.name, 'name', 200, nameRequired || (data.name !== undefined && data.name !== null)),
    ...checkText(data.description, 'description', 2000, false),
    ...checkText(data.owner, 'owner', 200, false),
    ...checkKind(data.kind),
    ...checkTags(data.tags),
    ...checkExpiresAt(data.expiresAt),
  ];
}
