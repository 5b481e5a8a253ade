/**
 * MurmurHash3 x86 32-bit over the UTF-8 bytes of a string, fed straight from `charCodeAt` with
 * `Math.imul`: no byte array, no allocation. A prefix (`${salt}:`) can be absorbed once at compile
 * time and resumed per evaluation, so only the bucketed value is hashed on the hot path.
 * Checked against murmurhash3js-revisited and an independent implementation in the tests.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** The hash state after some bytes: running hash, 0–3 pending tail bytes, total length. */
export interface MurmurState {
  readonly h: number;
  /** Pending bytes, little-endian: the first pending byte in the low 8 bits. */
  readonly tail: number;
  readonly tailLength: number;
  readonly length: number;
}

/** The state after absorbing the UTF-8 bytes of `prefix`, starting from `seed`. */
export function murmurPrefix(prefix: string, seed: number): MurmurState {
  return absorb({ h: seed | 0, tail: 0, tailLength: 0, length: 0 }, prefix, 0);
}

/**
 * Finishes the hash of prefix + UTF-8(`rest`), returned as a **signed** 32-bit integer whose bits
 * are the hash (`>>> 0` reads it unsigned). Why signed: V8 keeps int32 values unboxed, while an
 * unsigned value ≥ 2^31 returned from a call that is not inlined is a fresh heap number — half of
 * all hashes, on every evaluation.
 *
 * This is the per-evaluation path, so it keeps the state in locals and takes ASCII — what
 * targeting keys almost always are — four characters (one 32-bit block) at a time. The pending
 * prefix bytes shift every block by the same amount, so the loop stays uniform. At the first
 * non-ASCII character it hands over to the general UTF-8 path.
 */
export function murmurFinish(state: MurmurState, rest: string): number {
  const n = rest.length;
  const shift = state.tailLength << 3;
  let h = state.h;
  let tail = state.tail;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const c0 = rest.charCodeAt(i);
    const c1 = rest.charCodeAt(i + 1);
    const c2 = rest.charCodeAt(i + 2);
    const c3 = rest.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) >= 0x80) break;
    const word = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
    h = mixBlock(h, tail | (word << shift));
    // `>>`, not `>>>`: the word is below 2^31 (ASCII), so both agree, and `>>` keeps `tail` an
    // int32 for V8 (an unsigned result would turn it into a double for the whole loop).
    tail = shift === 0 ? 0 : word >> (32 - shift);
  }
  return finishRest(h, tail, shift, state.length + i, rest, i);
}

// The last 0–3 ASCII characters byte by byte (a function of its own so that the block loop above
// stays small enough for V8 to inline into its caller), or the general path from the first
// non-ASCII character on. `length` counts the bytes before `rest[from]`, all one byte each so far.
function finishRest(h: number, tail: number, tailBits: number, length: number, rest: string, from: number): number {
  for (let i = from; i < rest.length; i++) {
    const unit = rest.charCodeAt(i);
    if (unit >= 0x80) {
      const general = absorb({ h, tail, tailLength: tailBits >>> 3, length: length + i - from }, rest, i);
      return finish(general.h, general.tail, general.tailLength, general.length);
    }
    tail |= unit << tailBits;
    tailBits += 8;
    if (tailBits === 32) {
      h = mixBlock(h, tail);
      tail = 0;
      tailBits = 0;
    }
  }
  return finish(h, tail, tailBits >>> 3, length + rest.length - from);
}

/** MurmurHash3 x86 32-bit of the UTF-8 bytes of `text`, unsigned. */
export function murmur3(text: string, seed: number): number {
  return murmurFinish(murmurPrefix('', seed), text) >>> 0;
}

function mixK(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixBlock(h: number, block: number): number {
  h ^= mixK(block);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, tail: number, tailLength: number, length: number): number {
  if (tailLength > 0) h ^= mixK(tail);
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

// The general path: UTF-8 of text[from…] (lone surrogates become U+FFFD, like TextEncoder), each
// character packed into up to four bytes (first byte lowest) and fed byte by byte.
function absorb(state: MurmurState, text: string, from: number): MurmurState {
  let { h, tail, tailLength, length } = state;
  for (let i = from; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    let packed: number;
    let count: number;
    if (unit < 0x80) {
      packed = unit;
      count = 1;
    } else if (unit < 0x800) {
      packed = (0xc0 | (unit >> 6)) | ((0x80 | (unit & 0x3f)) << 8);
      count = 2;
    } else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      const codePoint = 0x10000 + ((unit - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      packed =
        (0xf0 | (codePoint >> 18)) |
        ((0x80 | ((codePoint >> 12) & 0x3f)) << 8) |
        ((0x80 | ((codePoint >> 6) & 0x3f)) << 16) |
        ((0x80 | (codePoint & 0x3f)) << 24);
      count = 4;
    } else {
      const scalar = unit >= 0xd800 && unit <= 0xdfff ? 0xfffd : unit;
      packed = (0xe0 | (scalar >> 12)) | ((0x80 | ((scalar >> 6) & 0x3f)) << 8) | ((0x80 | (scalar & 0x3f)) << 16);
      count = 3;
    }
    for (; count > 0; count--, packed >>>= 8) {
      tail |= (packed & 0xff) << (tailLength << 3);
      length++;
      if (++tailLength === 4) {
        h = mixBlock(h, tail);
        tail = 0;
        tailLength = 0;
      }
    }
  }
  return { h, tail, tailLength, length };
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
