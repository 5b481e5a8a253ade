// Prototype for libs/evaluation/src/hashing/bucket.ts (see ../FINDINGS.md, S2/S4): MurmurHash3 x86-32 of
// `${salt}:${value}` with the prefix mixed once and an ASCII fast path. Checks it against bucketOf, then times both.
// Run after a build (bash bench/evaluation/run.sh --quick --no-heap): node bench/evaluation/prototypes/bucket-prototype.js
const O = require('node:path').join(__dirname, '..', '.out');
const { bucketOf } = require(O+'/libs/evaluation/src/hashing/bucket.js');
const { buildWorkload } = require(O+'/bench/evaluation/src/data.js');
// MurmurHash3 x86_32 over the UTF-8 bytes of prefix+value, streaming, no allocation.
const C1 = 0xcc9e2d51, C2 = 0x1b873593;
function mix(h, k) { k = Math.imul(k, C1); k = (k << 15) | (k >>> 17); k = Math.imul(k, C2); h ^= k; h = (h << 13) | (h >>> 19); return (Math.imul(h, 5) + 0xe6546b64) | 0; }
function compileBucket(salt, seed, modulus) {
  // state after the prefix `${salt}:` (assume ASCII-or-any: use the same streaming feeder)
  const st = { h: seed | 0, k: 0, n: 0, len: 0 };
  feedString(st, salt + ':');
  const h0 = st.h, k0 = st.k, n0 = st.n, len0 = st.len;
  return (value) => { const s = { h: h0, k: k0, n: n0, len: len0 }; feedString(s, value); return finish(s) % modulus; };
}
function feedByte(s, b) { s.k |= b << (8 * s.n); s.len++; if (++s.n === 4) { s.h = mix(s.h, s.k); s.k = 0; s.n = 0; } }
function feedString(s, str) {
  for (let i = 0; i < str.length; i++) {
    let c = str.charCodeAt(i);
    if (c < 0x80) feedByte(s, c);
    else if (c < 0x800) { feedByte(s, 0xc0 | (c >> 6)); feedByte(s, 0x80 | (c & 63)); }
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < str.length && (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (str.charCodeAt(++i) - 0xdc00);
      feedByte(s, 0xf0 | (c >> 18)); feedByte(s, 0x80 | ((c >> 12) & 63)); feedByte(s, 0x80 | ((c >> 6) & 63)); feedByte(s, 0x80 | (c & 63));
    } else { if (c >= 0xd800 && c < 0xe000) c = 0xfffd; feedByte(s, 0xe0 | (c >> 12)); feedByte(s, 0x80 | ((c >> 6) & 63)); feedByte(s, 0x80 | (c & 63)); }
  }
}
function finish(s) {
  let h = s.h;
  if (s.n) { let k = Math.imul(s.k, C1); k = (k << 15) | (k >>> 17); k = Math.imul(k, C2); h ^= k; }
  h ^= s.len; h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}
const w = buildWorkload(); const ids = w.users.map(u => u.id).concat(['é', 'ü-ñ', '日本語', '😀x', 'a\ud800b']);
const salt = 'bench-s2-rollout', fast = compileBucket(salt, 0, 100000);
let bad = 0; for (const id of ids) if (fast(id) !== bucketOf(salt, id, 0, 100000)) { bad++; if (bad < 4) console.log('mismatch', JSON.stringify(id), fast(id), bucketOf(salt, id, 0, 100000)); }
console.log('mismatches', bad, 'of', ids.length);
function bench(fn) { let s = 0; const t = process.hrtime.bigint(); const c0=process.cpuUsage(); for (let r = 0; r < 50; r++) for (let i = 0; i < 10000; i++) s += fn(w.users[i].id); const cu=process.cpuUsage(c0); return [(Number(process.hrtime.bigint() - t) / 5e5).toFixed(1), ((cu.user+cu.system)*1000/5e5).toFixed(1), s]; }
for (let k = 0; k < 3; k++) console.log('current bucketOf (wall, cpu ns)', bench((id) => bucketOf(salt, id, 0, 100000)).slice(0,2).join(' / '), '| streaming prototype', bench(fast).slice(0,2).join(' / '));
function compileBucket2(salt, seed, modulus) {
  const st = { h: seed | 0, k: 0, n: 0, len: 0 }; feedString(st, salt + ':');
  const H0 = st.h, K0 = st.k, N0 = st.n, L0 = st.len;
  return (str) => {
    let h = H0, k = K0, n = N0;
    const L = str.length;
    for (let i = 0; i < L; i++) {
      const c = str.charCodeAt(i);
      if (c >= 0x80) { const s = { h: H0, k: K0, n: N0, len: L0 }; feedString(s, str); return finish(s) % modulus; }
      k |= c << (n << 3);
      if (++n === 4) {
        k = Math.imul(k, C1); k = (k << 15) | (k >>> 17); k = Math.imul(k, C2); h ^= k; h = (h << 13) | (h >>> 19); h = (Math.imul(h, 5) + 0xe6546b64) | 0;
        k = 0; n = 0;
      }
    }
    if (n) { k = Math.imul(k, C1); k = (k << 15) | (k >>> 17); k = Math.imul(k, C2); h ^= k; }
    h ^= L0 + L; h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
    return (h >>> 0) % modulus;
  };
}
const fast2 = compileBucket2(salt, 0, 100000);
let bad2 = 0; for (const id of ids) if (fast2(id) !== bucketOf(salt, id, 0, 100000)) bad2++;
console.log('ascii-fast-path mismatches', bad2);
for (let k = 0; k < 3; k++) console.log('ascii fast path (wall / cpu ns)', bench(fast2).slice(0,2).join(' / '));
