// The package ships no types. The engine hashes with ./murmur3.ts; the tests use this package as
// an oracle, so only the function they call is declared.
declare module 'murmurhash3js-revisited' {
  const murmur: {
    readonly x86: {
      /** MurmurHash3 x86 32-bit of a byte array, as an unsigned integer. */
      hash32(bytes: Uint8Array | readonly number[], seed?: number): number;
    };
  };
  export default murmur;
}
