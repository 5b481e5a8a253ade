import type { JsonValue } from '@flagpole/evaluation';

/**
 * One difference between two JSON documents, addressed JSON-pointer style. Arrays whose
 * elements carry an identity (a rule's `id`, a prerequisite's `flag`, a rollout's `variant`)
 * are matched by it and addressed as `rules[id=us]`, so editing, adding or reordering one rule
 * reads as exactly that rather than as a cascade of index shifts.
 */
export interface DiffEntry {
  readonly op: 'add' | 'remove' | 'replace' | 'move';
  readonly path: string;
  /** Absent for `add`. For `move`: the identities in their old order. */
  readonly before?: JsonValue;
  /** Absent for `remove`. For `move`: the identities in their new order. */
  readonly after?: JsonValue;
}

type JsonObject = { readonly [key: string]: JsonValue };

/** Properties that identify an element of an array of objects, tried in this order. */
const IDENTITY_FIELDS = ['id', 'flag', 'variant'] as const;

/** Differences from `before` to `after`, in a deterministic order (keys sorted, then array order). */
export function diffJson(before: JsonValue | undefined, after: JsonValue | undefined, path = ''): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(before, after, path, out);
  return out;
}

function walk(before: JsonValue | undefined, after: JsonValue | undefined, path: string, out: DiffEntry[]): void {
  // Evolve functions share every untouched sub-object between old and new state: equal by
  // reference means nothing below changed, and most of a flag is untouched by any one event.
  if (before === after) return;
  if (before === undefined) {
    out.push({ op: 'add', path, after: after as JsonValue });
    return;
  }
  if (after === undefined) {
    out.push({ op: 'remove', path, before });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = Object.keys(before);
    for (const key of Object.keys(after)) if (!Object.hasOwn(before, key)) keys.push(key);
    keys.sort();
    // Most members are shared with the state before: skip them before building their path,
    // which would otherwise be most of the diff's cost (and garbage) per event.
    for (const key of keys) if (before[key] !== after[key]) walk(before[key], after[key], `${path}/${escapeSegment(key)}`, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffArrays(before as readonly JsonValue[], after as readonly JsonValue[], path, out);
    return;
  }
  if (!sameJson(before, after)) out.push({ op: 'replace', path, before, after });
}

function diffArrays(before: readonly JsonValue[], after: readonly JsonValue[], path: string, out: DiffEntry[]): void {
  if (sameJson(before, after)) return;
  const identity = identityField(before, after);
  if (identity) {
    diffKeyedArrays(before as readonly JsonObject[], after as readonly JsonObject[], identity, path, out);
    return;
  }
  // Lists of plain values (tags, clause values) read best whole: what it was, what it is.
  if (!before.every(isObject) || !after.every(isObject) || before.length === 0 || after.length === 0) {
    out.push({ op: 'replace', path, before, after });
    return;
  }
  const common = Math.min(before.length, after.length);
  for (let i = 0; i < common; i++) if (before[i] !== after[i]) walk(before[i], after[i], `${path}/${i}`, out);
  for (let i = common; i < after.length; i++) out.push({ op: 'add', path: `${path}/${i}`, after: after[i]! });
  for (let i = common; i < before.length; i++) out.push({ op: 'remove', path: `${path}/${i}`, before: before[i]! });
}

function diffKeyedArrays(before: readonly JsonObject[], after: readonly JsonObject[], field: string, path: string, out: DiffEntry[]): void {
  const idOf = (element: JsonObject) => element[field] as string;
  const beforeById = new Map(before.map((e) => [idOf(e), e]));
  const afterById = new Map(after.map((e) => [idOf(e), e]));
  const at = (id: string) => `${path}[${field}=${escapeSegment(id)}]`;
  for (const element of after) {
    const id = idOf(element);
    const previous = beforeById.get(id);
    if (previous === undefined) out.push({ op: 'add', path: at(id), after: element });
    else if (previous !== element) walk(previous, element, at(id), out);
  }
  for (const element of before) if (!afterById.has(idOf(element))) out.push({ op: 'remove', path: at(idOf(element)), before: element });
  const keptBefore = before.map(idOf).filter((id) => afterById.has(id));
  const keptAfter = after.map(idOf).filter((id) => beforeById.has(id));
  if (keptBefore.some((id, i) => id !== keptAfter[i])) out.push({ op: 'move', path, before: keptBefore, after: keptAfter });
}

/** The first identity field that is a string, unique, in every element of both arrays. */
function identityField(before: readonly JsonValue[], after: readonly JsonValue[]): string | undefined {
  const all = [...before, ...after];
  if (all.length === 0 || !all.every(isObject)) return undefined;
  const objects = all as readonly JsonObject[];
  return IDENTITY_FIELDS.find((field) => objects.every((o) => typeof o[field] === 'string') && unique(before as readonly JsonObject[], field) && unique(after as readonly JsonObject[], field));
}

function unique(elements: readonly JsonObject[], field: string): boolean {
  return new Set(elements.map((e) => e[field])).size === elements.length;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values (key order does not matter). */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => sameJson(v, b[i]));
  }
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  return keys.every((k) => Object.hasOwn(bo, k) && sameJson(ao[k], bo[k]));
}

/** RFC 6901 escaping, plus the brackets our keyed segments use. */
function escapeSegment(segment: string): string {
  if (!/[~/[\]]/.test(segment)) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1').replace(/\[/g, '~2').replace(/\]/g, '~3');
}
