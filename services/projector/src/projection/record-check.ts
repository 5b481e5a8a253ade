/**
 * What the projector needs to know of a record before it can place it in the chain: whether it
 * is an event at all, its place (sequence, hash, prevHash, id), and whether it hashes to its own
 * recorded hash. Runs on the record-check worker (record-checker.ts), or in-process when there
 * is none. Imports the canonicaliser's module directly rather than @flagpole/read-model, so the
 * worker does not load TypeORM and the rest.
 */
import { hash as digest } from 'node:crypto';
import type { EventEnvelope } from '@flagpole/domain';
import { canonicalJsonText, fastEventHash, TEXT_MISFIT } from '../../../../libs/read-model/src/verify/canonical-json';

/** The fields that place an event in the chain; the rest of it is parsed again when it is applied. */
export interface EventHead {
  readonly sequence: number;
  readonly hash: string;
  /** undefined when the record's prevHash is not a string (the chain check then refuses it). */
  readonly prevHash: string | undefined;
  readonly id: string;
}

export type RecordVerdict =
  /** `intact`: the event hashes to its recorded hash (SHA-256 of prevHash and its RFC 8785 JSON). */
  | { readonly head: EventHead; readonly intact: boolean; readonly error?: undefined }
  | { readonly error: string; readonly head?: undefined };

export function headOf(event: EventEnvelope): EventHead {
  return { sequence: event.sequence, hash: event.hash, prevHash: typeof event.prevHash === 'string' ? event.prevHash : undefined, id: typeof event.id === 'string' ? event.id : '' };
}

export function checkRecord(text: string): RecordVerdict {
  let fast: EventHead | undefined;
  try {
    fast = textHead(text);
  } catch {
    // Anything the fast path cannot take (a record nested deeper than its recursion goes) is the
    // slow path's to judge, never a reason for the worker to die.
    fast = undefined;
  }
  if (fast) return { head: fast, intact: true };
  let event: EventEnvelope;
  try {
    event = JSON.parse(text) as EventEnvelope;
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (typeof event !== 'object' || event === null || !Number.isSafeInteger(event.sequence) || typeof event.hash !== 'string') return { error: 'not an event envelope' };
  let intact: boolean;
  try {
    intact = fastEventHash(event) === event.hash;
  } catch {
    intact = false; // the domain's own check, on the main thread, has the last word
  }
  return { head: headOf(event), intact };
}

/**
 * The common case without building the event: a record whose text, with its members sorted and
 * its whitespace dropped, hashes to the hash it records. Returns its head then, else undefined
 * (anything unusual, or a hash that does not match), and the caller parses and checks properly.
 *
 * The text is read by the checksum's canonicaliser (canonicalJsonText), which takes only valid
 * JSON: strings without escapes, control characters or surrogates, literals, and numbers in their
 * shortest form (what JSON.stringify writes); anything else goes to the slow path. A
 * record's hash is not keyed, so whoever writes a record can make any text match: accepting text
 * JSON.parse refuses would leave the projector an "intact" event it cannot read.
 *
 * Sound because of what a match means: the text is read strictly as JSON structure (objects,
 * arrays, keys), and every scalar — string, number, literal — is copied as written. Sorting
 * members and dropping whitespace changes no value, so the rewritten text denotes the same event
 * as the record. If SHA-256(prevHash ‖ rewritten text) equals the recorded hash, the rewritten
 * text *is* the writer's RFC 8785 text, byte for byte (short of a SHA-256 collision) — valid
 * canonical JSON, no duplicate keys — and so the record is intact. A scalar written in another
 * spelling than RFC 8785's (`1.0`, `"\u00e9"`) only makes it miss, never pass wrongly: the slow
 * path then decides. About three times cheaper than JSON.parse + canonicalJson, with far less
 * garbage: it is most of the worker's time.
 */
export function textHead(text: string): EventHead | undefined {
  const top: { sequence?: string; hash?: string; prevHash?: string; id?: string } = {};
  const canonical = canonicalJsonText(text, (key, written) => {
    if (key === 'sequence' || key === 'hash' || key === 'prevHash' || key === 'id') {
      if (top[key] !== undefined) throw TEXT_MISFIT;
      if (key === 'sequence') top.sequence = written;
      else if (written.charCodeAt(0) !== QUOTE) throw TEXT_MISFIT;
      else top[key] = written.slice(1, -1);
    }
    // The hash covers the event without its own hash member.
    return key !== 'hash';
  });
  const { sequence, hash, prevHash, id } = top;
  if (canonical === undefined || sequence === undefined || hash === undefined || prevHash === undefined) return undefined;
  const number = Number(sequence);
  if (!Number.isSafeInteger(number) || String(number) !== sequence) return undefined;
  if (digest('sha256', `${prevHash}${canonical}`, 'hex') !== hash) return undefined;
  return { sequence: number, hash, prevHash, id: id ?? '' };
}

const QUOTE = 0x22;

/**
 * Verdicts as they cross from the worker to the main thread: a few typed arrays and one string
 * instead of an object per record. Structured clone writes and reads every property name of
 * every object, and rebuilds each string on its own; packed, the worker sends one string and
 * transfers the arrays, and the main thread cuts the strings out of that one.
 */
export interface PackedVerdicts {
  /** Per record: NOT_EVENT (its message is the next of `errors`), else INTACT or not, with NO_PREV_HASH when prevHash is absent. */
  readonly kinds: Uint8Array<ArrayBuffer>;
  readonly sequences: Float64Array<ArrayBuffer>;
  /** Each event's hash, prevHash and id, end to end. */
  readonly text: string;
  /** Three per record: where its hash, prevHash and id end in `text`. */
  readonly ends: Uint32Array<ArrayBuffer>;
  readonly errors: readonly string[];
}

const NOT_EVENT = 0;
const EVENT = 1;
const INTACT = 2;
const NO_PREV_HASH = 4;

export function packVerdicts(verdicts: readonly RecordVerdict[]): PackedVerdicts {
  const n = verdicts.length;
  const kinds = new Uint8Array(n);
  const sequences = new Float64Array(n);
  const ends = new Uint32Array(3 * n);
  const parts: string[] = [];
  const errors: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const verdict = verdicts[i]!;
    if (verdict.error !== undefined) {
      kinds[i] = NOT_EVENT;
      errors.push(verdict.error);
      ends[3 * i] = ends[3 * i + 1] = ends[3 * i + 2] = at;
      continue;
    }
    const { sequence, hash, prevHash, id } = verdict.head;
    kinds[i] = EVENT | (verdict.intact ? INTACT : 0) | (prevHash === undefined ? NO_PREV_HASH : 0);
    sequences[i] = sequence;
    parts.push(hash);
    ends[3 * i] = at += hash.length;
    if (prevHash !== undefined) parts.push(prevHash);
    ends[3 * i + 1] = at += prevHash?.length ?? 0;
    parts.push(id);
    ends[3 * i + 2] = at += id.length;
  }
  return { kinds, sequences, text: parts.join(''), ends, errors };
}

export function unpackVerdicts(packed: PackedVerdicts): RecordVerdict[] {
  const { kinds, sequences, text, ends, errors } = packed;
  const verdicts = new Array<RecordVerdict>(kinds.length);
  let error = 0;
  let at = 0;
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]!;
    if (kind === NOT_EVENT) {
      verdicts[i] = { error: errors[error++] ?? 'not an event envelope' };
      continue;
    }
    const hashEnd = ends[3 * i]!;
    const prevEnd = ends[3 * i + 1]!;
    const idEnd = ends[3 * i + 2]!;
    const head: EventHead = {
      sequence: sequences[i]!,
      hash: text.slice(at, hashEnd),
      prevHash: kind & NO_PREV_HASH ? undefined : text.slice(hashEnd, prevEnd),
      id: text.slice(prevEnd, idEnd),
    };
    verdicts[i] = { head, intact: (kind & INTACT) !== 0 };
    at = idEnd;
  }
  return verdicts;
}
