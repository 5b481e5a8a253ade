/**
 * Unleash context field names → Flagpole attribute names. Flagpole reads dots as a path into
 * nested objects, Unleash context names are flat (`"a.b"` is one field), so names holding a dot
 * are escaped: `.` → `~2E`, and `~` → `~7E` so the escaping stays one-to-one. Every other name
 * is used as is. The importer (clause attributes, bucketBy) and the context adapter (context
 * keys) both go through this function, so they always agree.
 */
export function attributeFor(contextName: string): string {
  if (contextName === '') return '~';
  if (!contextName.includes('.') && !contextName.includes('~')) return contextName;
  return contextName.replace(/[.~]/g, (c) => (c === '.' ? '~2E' : '~7E'));
}

/**
 * The attribute carrying the per-evaluation random draw that Unleash takes where it has no id
 * (random stickiness, `gradualRolloutRandom`, default stickiness without ids). `~r` can never be
 * produced by {@link attributeFor} (escapes are `~` + two hex digits), so it cannot clash with a
 * context field.
 */
export const RANDOM_ATTRIBUTE = '~random';
