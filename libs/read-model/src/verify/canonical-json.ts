import { hash } from 'node:crypto';
import { checkChainLink, type ChainBreak, type EventEnvelope } from '@flagpole/domain';

/**
 * RFC 8785 (JCS) canonical JSON for values that came out of JSON.parse (or are built of the same:
 * null, booleans, finite numbers, strings, arrays, plain objects). For those, JCS is exactly:
 * primitives as ECMAScript JSON.stringify writes them, object members sorted by UTF-16 code units,
 * no whitespace. Several times faster than the general-purpose json-canonicalize package, which
 * matters at tens of thousands of events per second; tests hold the two to the same output.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i] === undefined ? null : value[i]);
    return `${out}]`;
  }
  return `${canonicalMembers(value as Record<string, unknown>, undefined)}}`;
}

/** `{` and the members in key order, without the closing brace; `skip` leaves one key out. */
function canonicalMembers(object: Record<string, unknown>, skip: string | undefined): string {
  const keys = Object.keys(object);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (const key of keys) {
    const member = object[key];
    if (member === undefined || key === skip) continue;
    if (out.length > 1) out += ',';
    out += memberName(key) + canonicalJson(member);
  }
  return out;
}

/**
 * `"key":` as JSON.stringify writes the key. The same few dozen keys come back in every event,
 * so they are kept (bounded, in case a log is full of arbitrary keys).
 */
function memberName(key: string): string {
  let name = MEMBER_NAMES.get(key);
  if (name === undefined) {
    name = `${JSON.stringify(key)}:`;
    if (MEMBER_NAMES.size < 10_000) MEMBER_NAMES.set(key, name);
  }
  return name;
}

const MEMBER_NAMES = new Map<string, string>();

/**
 * The domain's checkChainLink, with a fast first look: if the event hashes to its recorded hash
 * with canonicalJson, the bytes hashed are the writer's bytes and the link holds. Anything else —
 * including a mismatch the fast path could in theory get wrong — is decided by the domain's own
 * check, so this can never refuse what the domain accepts.
 */
export function checkChainLinkFast(lastSequence: number, lastHash: string, event: EventEnvelope): ChainBreak | undefined {
  if (event.sequence === lastSequence + 1 && event.prevHash === lastHash && fastEventHash(event) === event.hash) return undefined;
  return checkChainLink(lastSequence, lastHash, event);
}

/**
 * SHA-256(prevHash ‖ canonical JSON of the envelope without `hash`), as computeEventHash — without
 * copying the envelope to drop `hash`, and with the one-shot digest (no Hash object per event).
 */
export function fastEventHash(event: EventEnvelope): string {
  const text = `${event.prevHash}${canonicalMembers(event as unknown as Record<string, unknown>, 'hash')}}`;
  return hash('sha256', text, 'hex');
}

/**
 * Sees each member of the top-level object as it is read: its key and its value as written.
 * Returns whether the member goes into the canonical text; throws TEXT_MISFIT to decline the
 * whole text.
 */
export type TopMemberVisitor = (key: string, written: string) => boolean;

/**
 * canonicalJson(JSON.parse(text)) for a valid JSON text, worked out from the text without building
 * the value — or undefined when the text holds something it does not handle, and the caller
 * parses. Members are sorted and whitespace dropped; every scalar is copied as written, which is
 * only right when it is written as RFC 8785 would write it, so: no string may hold a backslash
 * (an escape), a control character or a surrogate (JSON.stringify writes nothing else
 * differently), every number must read back to itself (`String(Number(n))`), and no object may
 * repeat a key. What it accepts is therefore always valid JSON. The audit trail's `payload` is the
 * writer's JSON.stringify output and nearly always qualifies. About twice as fast as JSON.parse +
 * canonicalJson. `visitTop` (the projector's record check) sees, and may leave out, the top-level
 * object's members.
 */
export function canonicalJsonText(text: string, visitTop?: TopMemberVisitor): string | undefined {
  if (UNUSUAL.test(text)) return undefined;
  src = text;
  pos = 0;
  visitor = visitTop;
  rawWhitespace = WHITESPACE_CONTROL.test(text);
  try {
    const out = value(0);
    skipSpace();
    return pos === src.length ? out : undefined;
  } catch (error) {
    if (error === MISFIT) return undefined;
    throw error;
  } finally {
    src = '';
    visitor = undefined;
  }
}

/**
 * A backslash, a surrogate, or a control character other than JSON's whitespace anywhere: never
 * in text canonicalJsonText takes (outside strings they are not JSON at all).
 */
const UNUSUAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\\\ud800-\udfff]/;
/** Tab, line feed and carriage return: whitespace between tokens, but not allowed raw in a string. */
const WHITESPACE_CONTROL = /[\t\n\r]/;
/** Thrown (a constant, no stack) when text is not something canonicalJsonText handles. */
export const TEXT_MISFIT = Symbol('misfit');
const MISFIT = TEXT_MISFIT;
let src = '';
let pos = 0;
let visitor: TopMemberVisitor | undefined;
/** Whether the text holds a tab, line feed or carriage return at all: only then are strings searched for them. */
let rawWhitespace = false;

function skipSpace(): void {
  for (;;) {
    const c = src.charCodeAt(pos);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
    else return;
  }
}

function value(depth: number): string {
  skipSpace();
  const c = src.charCodeAt(pos);
  if (c === 0x7b) return object(depth);
  if (c === 0x5b) return array(depth);
  if (c === 0x22) return plainString();
  const start = pos;
  while (pos < src.length) {
    const d = src.charCodeAt(pos);
    if ((d >= 0x30 && d <= 0x39) || d === 0x2b || d === 0x2d || d === 0x2e || (d >= 0x61 && d <= 0x7a) || d === 0x45) pos++;
    else break;
  }
  const scalar = src.slice(start, pos);
  if (scalar === 'true' || scalar === 'false' || scalar === 'null') return scalar;
  const first = scalar.charCodeAt(0);
  const number = Number(scalar);
  // Finite rules out "-Infinity"; reading back to itself rules out "01", "1.0", "1.2.3" and "tru".
  if (!((first >= 0x30 && first <= 0x39) || first === 0x2d) || !Number.isFinite(number) || String(number) !== scalar) throw MISFIT;
  return scalar;
}

/** The string at `pos`, quotes included, as written (an escaped quote ends it early, then fails UNUSUAL's backslash test upstream). */
function plainString(): string {
  const end = src.indexOf('"', pos + 1) + 1;
  if (end === 0) throw MISFIT;
  const written = src.slice(pos, end);
  if (rawWhitespace && WHITESPACE_CONTROL.test(written)) throw MISFIT;
  pos = end;
  return written;
}

function array(depth: number): string {
  pos++;
  skipSpace();
  if (src.charCodeAt(pos) === 0x5d) {
    pos++;
    return '[]';
  }
  let out = '[';
  for (;;) {
    out += value(depth + 1);
    skipSpace();
    const c = src.charCodeAt(pos++);
    if (c === 0x5d) return `${out}]`;
    if (c !== 0x2c) throw MISFIT;
    out += ',';
  }
}

function object(depth: number): string {
  pos++;
  skipSpace();
  if (src.charCodeAt(pos) === 0x7d) {
    pos++;
    return '{}';
  }
  const visit = depth === 0 ? visitor : undefined;
  const keys: string[] = [];
  const members: string[] = [];
  for (;;) {
    skipSpace();
    if (src.charCodeAt(pos) !== 0x22) throw MISFIT;
    const name = plainString();
    skipSpace();
    if (src.charCodeAt(pos++) !== 0x3a) throw MISFIT;
    const key = name.slice(1, -1);
    const written = value(depth + 1);
    if (visit === undefined || visit(key, written)) {
      keys.push(key);
      members.push(`${name}:${written}`);
    }
    skipSpace();
    const c = src.charCodeAt(pos++);
    if (c === 0x7d) break;
    if (c !== 0x2c) throw MISFIT;
  }
  return `{${joinSortedMembers(keys, members)}}`;
}

/**
 * `members` (each `"name":value`) joined with commas in the order of their `keys` — UTF-16 code
 * units, as RFC 8785 — throwing TEXT_MISFIT for a key that occurs twice (JSON.parse would keep
 * only the last; such text is left to the parsing path).
 */
function joinSortedMembers(keys: readonly string[], members: readonly string[]): string {
  const n = keys.length;
  if (n === 0) return '';
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    // Insertion sort: a few members per object, usually close to sorted already.
    let j = i;
    while (j > 0 && keys[order[j - 1]!]! > keys[i]!) {
      order[j] = order[j - 1]!;
      j--;
    }
    if (j > 0 && keys[order[j - 1]!] === keys[i]) throw TEXT_MISFIT;
    order[j] = i;
  }
  let out = members[order[0]!]!;
  for (let i = 1; i < n; i++) out += `,${members[order[i]!]}`;
  return out;
}
