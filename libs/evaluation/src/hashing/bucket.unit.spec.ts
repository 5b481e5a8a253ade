import { referenceBucket, referenceMurmur3 } from '../../spec/reference-bucket';
import { bucketKey, bucketOf } from './bucket';
import murmur from 'murmurhash3js-revisited';
import { murmur3, murmurFinish, murmurPrefix } from './murmur3';

describe('reference MurmurHash3 (test oracle)', () => {
  it.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['hello', 0, 0x248bfa47],
    ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ])('hashes %j with seed %d to the published value', (input, seed, expected) => {
    expect(referenceMurmur3(Buffer.from(input, 'utf8'), seed)).toBe(expected);
  });
});

describe('bucketOf', () => {
  it('hashes the UTF-8 bytes of salt:value, unsigned, modulo the modulus', () => {
    // murmur3("checkout:user-1", 0) computed by hand below; see SPEC.md worked example.
    const h = referenceMurmur3(Buffer.from('checkout:user-1', 'utf8'), 0);
    expect(bucketOf('checkout', 'user-1', 0, 100_000)).toBe(h % 100_000);
    expect(bucketOf('checkout', 'user-1', 0, 2 ** 32)).toBe(h);
  });

  it('agrees with the reference for non-ASCII input, seeds and moduli', () => {
    const inputs = ['ü', '日本語', '😀', 'a:b', '', '\ud800', 'x\udc00y', '\udbff\udfff', 'ß'.repeat(3000)];
    for (const value of inputs) {
      for (const [seed, modulus] of [[0, 100_000], [86028157, 1000], [4294967295, 100], [7, 1]]) {
        expect(bucketOf('salt', value, seed, modulus)).toBe(referenceBucket('salt', value, seed, modulus));
      }
    }
  });

  it('is deterministic for 1,000 keys against the reference', () => {
    for (let i = 0; i < 1000; i++) expect(bucketOf('f', `user-${i}`, 0, 100_000)).toBe(referenceBucket('f', `user-${i}`, 0, 100_000));
  });
});

describe('murmur3', () => {
  it('agrees with murmurhash3js-revisited over UTF-8 bytes for every code unit, lone surrogates included', () => {
    for (let unit = 0; unit <= 0xffff; unit += 7) {
      const text = `ab${String.fromCharCode(unit)}c`;
      expect(murmur3(text, 0)).toBe(murmur.x86.hash32(Buffer.from(text, 'utf8'), 0));
    }
  });

  it('agrees for every length 0..40 (all tail sizes) and several seeds', () => {
    for (let n = 0; n <= 40; n++) {
      const text = 'xé😀'.repeat(n).slice(0, n);
      for (const seed of [0, 1, 86028157, 4294967295]) {
        expect(murmur3(text, seed)).toBe(referenceMurmur3(Buffer.from(text, 'utf8'), seed));
      }
    }
  });
});

describe('murmurFinish after a prefix', () => {
  it('agrees with hashing the whole string for every prefix alignment, ASCII and not', () => {
    const rests = ['', 'a', 'ab', 'abc', 'abcd', 'user-42', '0f3c9a1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b', 'abcdé', 'ab😀cdefgh', 'abcdefg\ud800', 'ü'];
    for (let p = 0; p <= 8; p++) {
      const prefix = 'salt:xyz'.slice(0, p);
      for (const rest of rests) {
        for (const seed of [0, 86028157]) {
          expect(murmurFinish(murmurPrefix(prefix, seed), rest) >>> 0).toBe(referenceMurmur3(Buffer.from(prefix + rest, 'utf8'), seed));
        }
      }
      // a non-ASCII prefix leaves other byte alignments
      expect(murmurFinish(murmurPrefix(`é${prefix}`, 0), 'abcdefgh') >>> 0).toBe(referenceMurmur3(Buffer.from(`é${prefix}abcdefgh`, 'utf8'), 0));
    }
  });
});

describe('bucketKey', () => {
  it('keeps non-empty strings, stringifies numbers and booleans', () => {
    expect(bucketKey('abc')).toBe('abc');
    expect(bucketKey(42)).toBe('42');
    expect(bucketKey(1.5)).toBe('1.5');
    expect(bucketKey(true)).toBe('true');
  });

  it('treats empty strings, null, objects, arrays and non-finite numbers as absent', () => {
    for (const value of ['', null, undefined, {}, [], NaN, Infinity]) expect(bucketKey(value)).toBeUndefined();
  });
});
