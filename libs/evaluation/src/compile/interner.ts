/**
 * Joins key parts into one flat string. Keys are kept for as long as their table, and a key built
 * with `+` or a template literal is a tree of rope nodes in V8 (32 bytes each, kept alongside the
 * flattened text), while `Array#join` builds a flat string.
 */
export function joinKey(parts: readonly string[], separator = ''): string {
  return parts.join(separator);
}

/**
 * A bounded table of shared, immutable compiled parts (results, attribute readers, clause
 * predicates), keyed by a string that fully describes what was compiled.
 *
 * Why: an SDK holds thousands of flags whose parts repeat — every boolean flag has the same
 * on/DEFAULT and off/DISABLED results, `country in [US, CA]` or `plan in [premium]` recur across
 * flags. Sharing them keeps the heap per flag small and keeps the shared parts hot in the CPU
 * caches when many flags are evaluated at random.
 *
 * Only pure, immutable values may be interned: the key must determine the value completely.
 * The table never evicts, so it is bounded: past `limit` entries (or for keys longer than
 * `maxKeyLength`, which would cost more to keep than they save) values are simply not shared.
 */
export class Interner<T> {
  private readonly table = new Map<string, T>();

  constructor(
    private readonly limit: number,
    private readonly maxKeyLength = 256,
  ) {}

  /** The value shared under `key`, built (and shared if room is left) on first use. */
  intern(key: string, build: () => T): T {
    const known = this.table.get(key);
    if (known !== undefined) return known;
    const value = build();
    if (this.table.size < this.limit && key.length <= this.maxKeyLength) this.table.set(key, value);
    return value;
  }
}
