/**
 * A value read from a `json` column, with every object's members in the order Postgres's `jsonb`
 * keeps them: shorter keys first (in UTF-8 bytes), equal lengths by their bytes. The audit
 * trail's `payload` and `diff` were `jsonb` until migration AuditJsonColumns1764300000000; a
 * `json` column hands back the text as written, in the writer's member order. Readers get the
 * same objects, member for member, as before — so the HTTP answers, the JSONL/CSV export
 * (`JSON.stringify` of these objects) and anything else that serialises them stay byte-identical.
 * (The checksum and the hash chain canonicalise, and do not need this.)
 *
 * Members are inserted in jsonb's order into fresh objects; JavaScript then moves integer-like
 * keys to the front in ascending order, exactly as it did when parsing jsonb's text.
 */
export function jsonbKeyOrder<T>(value: T): T {
  return reorder(value) as T;
}

function reorder(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = reorder(value[i]);
    return out;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length > 1) keys.sort(compareJsonbKeys);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const member = reorder(object[key]);
    // A plain assignment of "__proto__" would set the prototype instead of a member, as JSON.parse never does.
    if (key === '__proto__') Object.defineProperty(out, key, { value: member, enumerable: true, writable: true, configurable: true });
    else out[key] = member;
  }
  return out;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** jsonb's lengthCompareJsonbString: byte length first, then the bytes. */
export function compareJsonbKeys(a: string, b: string): number {
  if (!NON_ASCII.test(a) && !NON_ASCII.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length - y.length || Buffer.compare(x, y);
}
