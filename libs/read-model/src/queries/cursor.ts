import { DomainError } from '@flagpole/domain';

/**
 * Cursors are opaque to clients (base64url of a small JSON object) so the paging key can change
 * without breaking them; inside they are keyset positions, never offsets, so a page stays stable
 * while rows are appended.
 */
export type Cursor = { readonly after: number } | { readonly afterKey: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** Decodes a cursor of the expected kind; anything else is a 400 naming `field`. */
export function decodeSequenceCursor(raw: string | undefined, field = 'cursor'): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = decode(raw, field);
  if (typeof value.after !== 'number' || !Number.isSafeInteger(value.after) || value.after < 0) throw badCursor(field);
  return value.after;
}

export function decodeKeyCursor(raw: string | undefined, field = 'cursor'): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = decode(raw, field);
  if (typeof value.afterKey !== 'string') throw badCursor(field);
  return value.afterKey;
}

function decode(raw: string, field: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(raw)) throw badCursor(field);
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through: not ours
  }
  throw badCursor(field);
}

function badCursor(field: string): DomainError {
  return DomainError.validation([{ field, problem: 'is not a cursor this API returned (use nextCursor from the previous page)' }]);
}

/** Page sizes: a default that suits a screen, a ceiling that keeps one response bounded. */
export function pageLimit(raw: number | undefined, fallback = 50, max = 500): number {
  if (raw === undefined) return fallback;
  return Math.min(Math.max(1, Math.trunc(raw)), max);
}
