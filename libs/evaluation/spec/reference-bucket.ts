// An independent implementation of SPEC.md "Hashing", written from the MurmurHash3 reference (C++)
// rather than from the engine, so tests and vectors can check the engine's buckets against it.

function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix32(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3_x86_32 over bytes, unsigned. */
export function referenceMurmur3(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = bytes.length - (bytes.length % 4);
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(rotl32(Math.imul(k, c1), 15), c2);
    h = rotl32(h ^ k, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = bytes.length % 4;
  if (tail === 3) k ^= bytes[blocks + 2] << 16;
  if (tail >= 2) k ^= bytes[blocks + 1] << 8;
  if (tail >= 1) {
    k ^= bytes[blocks];
    h ^= Math.imul(rotl32(Math.imul(k, c1), 15), c2);
  }
  return fmix32(h ^ bytes.length);
}

/** bucket = murmur3(utf8(`${salt}:${value}`), seed) mod modulus. */
export function referenceBucket(salt: string, value: string, seed: number, modulus: number): number {
  return referenceMurmur3(Buffer.from(`${salt}:${value}`, 'utf8'), seed) % modulus;
}
