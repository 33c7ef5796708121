/**
 * Seeded pseudo-random numbers. Every random step in raydino takes a seed; no global state.
 * Generator: sfc32 seeded through splitmix32 (fast, 128-bit state, passes PractRand to 2^40).
 *
 * @example
 * const rng = createRng(42);
 * rng.uniform(); rng.normal(); rng.int(10); rng.shuffle([1, 2, 3]);
 * const child = rng.fork('crops'); // independent stream, reproducible from (seed, key)
 */
export interface Rng {
  readonly seed: number;
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller, cached pair). */
  normal(): number;
  bernoulli(p: number): boolean;
  /** Fisher-Yates shuffle of a copy. */
  shuffle<T>(xs: readonly T[]): T[];
  /** Index permutation of 0..n-1. */
  permutation(n: number): Int32Array;
  /** A child stream derived from this seed and a key; does not advance this stream. */
  fork(key: string | number): Rng;
  /** Serialisable state, for exact resume. */
  state(): number[];
}

function splitmix32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t = t ^ (t >>> 15);
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** FNV-1a hash of a string key, to derive child seeds. */
export function hashKey(key: string | number): number {
  const s = String(key);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRng(seed: number, restore?: number[]): Rng {
  if (!Number.isFinite(seed)) throw new Error(`invalid seed: ${seed}`);
  const sm = splitmix32(seed >>> 0 ^ Math.floor(seed / 2 ** 32));
  let a = sm(), b = sm(), c = sm(), d = sm();
  let spare: number | null = null;
  if (restore) {
    if (restore.length !== 5) throw new Error('invalid rng state');
    [a, b, c, d] = restore;
    spare = Number.isNaN(restore[4]) ? null : restore[4];
  }
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  const rng: Rng = {
    seed,
    uniform: next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    normal: () => {
      if (spare !== null) { const s = spare; spare = null; return s; }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    bernoulli: (p) => next() < p,
    shuffle: <T>(xs: readonly T[]) => {
      const out = xs.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = out[i]; out[i] = out[j]; out[j] = tmp;
      }
      return out;
    },
    permutation: (n) => {
      const p = new Int32Array(n);
      for (let i = 0; i < n; i++) p[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = p[i]; p[i] = p[j]; p[j] = tmp;
      }
      return p;
    },
    fork: (key) => createRng((Math.imul(hashKey(key), 0x9e3779b1) ^ hashKey(seed)) >>> 0),
    state: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0, spare === null ? NaN : spare],
  };
  return rng;
}
