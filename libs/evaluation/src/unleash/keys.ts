/**
 * Names of imported things in Flagpole. Flag and segment keys must match
 * `^[A-Za-z0-9_.~-]{1,128}$`, variant names `^[A-Za-z0-9_.-]{1,64}$`.
 */

const PLAIN_KEY = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_KEY = 128;

/**
 * The flag key of an Unleash feature: the feature name itself when it only uses
 * `A-Z a-z 0-9 _ . -` (the usual case), otherwise its UTF-8 bytes outside that set written as
 * `~XX` (so `Hellø` → `Hell~C3~B8`). Plain names never contain `~` and escaped ones always do,
 * so distinct names get distinct keys. Names whose escaped form exceeds 128 characters are cut
 * and suffixed with a hash of the full name.
 */
export function flagKeyFor(featureName: string): string {
  if (PLAIN_KEY.test(featureName)) return featureName;
  let escaped = '';
  for (const byte of new TextEncoder().encode(featureName)) {
    const c = String.fromCharCode(byte);
    escaped += /[A-Za-z0-9_.-]/.test(c) ? c : `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (escaped.length <= MAX_KEY) return escaped;
  return `${escaped.slice(0, MAX_KEY - 10)}~~${fnv1a(featureName)}`;
}

/** The segment key of an Unleash segment id. */
export function segmentKeyFor(id: number): string {
  return `unleash-segment-${String(id).replace(/[^A-Za-z0-9_.~-]/g, '_')}`;
}

const VARIANT_ILLEGAL = /[^A-Za-z0-9_.-]/g;
const MAX_VARIANT = 64;

/** A valid variant name near `wanted`, not in `taken`. */
export function variantKeyFor(wanted: string, taken: ReadonlySet<string>): string {
  const base = wanted.replace(VARIANT_ILLEGAL, '_').slice(0, MAX_VARIANT) || 'variant';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, MAX_VARIANT - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
