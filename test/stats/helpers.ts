/**
 * Fixture loading and tolerance checks for the lib/stats tests. Fixtures come from scripts/gen-stats-fixtures.py
 * (scipy 1.10 / scikit-learn 1.2); their vector encodings are decoded here exactly as the script defines them.
 * Set STATS_FIXTURE_COUNT=1 to print how many fixture comparisons passed.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const DIR = path.join(__dirname, '..', 'fixtures', 'stats');
let passed = 0;
if (process.env.STATS_FIXTURE_COUNT) {
  process.on('exit', () => console.log(`stats fixture comparisons passed: ${passed}`));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadFixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8'));
}

/** 'NaN' / 'Infinity' strings (JSON has no NaN) → numbers. */
export function num(v: number | string | null): number {
  if (v === null) return NaN;
  if (typeof v === 'number') return v;
  return Number(v);
}

interface ModPoly { n: number; a: number; b: number; c: number; m: number; scale: number }
interface ModLabel { n: number; a2: number; b2: number; c2: number; base: number; slope: number; m: number }

function modpolyInts(s: ModPoly): Float64Array {
  // all products stay below 2^53 for the fixture parameters (a·i² ≤ 41·1e10)
  const k = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) k[i] = (s.a * i * i + s.b * i + s.c) % s.m;
  return k;
}

/** Decode a stored vector: plain list, { ints, scale }, or { modpoly }. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function vec(spec: any): Float64Array {
  if (Array.isArray(spec)) return Float64Array.from(spec, num);
  if (spec.ints) return Float64Array.from(spec.ints as number[], (k) => k / spec.scale);
  if (spec.modpoly) return modpolyInts(spec.modpoly).map((k) => k / spec.modpoly.scale);
  throw new Error(`unknown vector encoding: ${Object.keys(spec)}`);
}

/** Decode stored labels: '0101' string or { modlabel } (needs the scores' modpoly spec). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function labelVec(spec: any, scoresSpec?: any): Float64Array {
  if (typeof spec === 'string') return Float64Array.from(spec, (ch) => (ch === '1' ? 1 : 0));
  if (spec.modlabel) {
    const l: ModLabel = spec.modlabel;
    const k = modpolyInts(scoresSpec.modpoly);
    const out = new Float64Array(l.n);
    for (let i = 0; i < l.n; i++) {
      const r = (l.a2 * i * i + l.b2 * i + l.c2) % 100;
      out[i] = r < l.base + Math.floor((l.slope * k[i]) / l.m) ? 1 : 0;
    }
    return out;
  }
  throw new Error(`unknown label encoding: ${Object.keys(spec)}`);
}

/** |actual − expected| ≤ abs + rel·|expected|; NaN matches NaN. Counts a passed fixture comparison. */
export function expectClose(actual: number, expected: number | string | null, tol: { abs?: number; rel?: number }, what: string): void {
  const e = num(expected);
  if (Number.isNaN(e)) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
  } else if (!Number.isFinite(e)) {
    assert.strictEqual(actual, e, `${what}`);
  } else {
    const err = Math.abs(actual - e);
    const bound = (tol.abs ?? 0) + (tol.rel ?? 0) * Math.abs(e);
    assert.ok(err <= bound, `${what}: got ${actual}, expected ${e} (error ${err.toExponential(2)} > ${bound.toExponential(2)})`);
  }
  passed++;
}

/** Element-wise expectClose for arrays (also checks the length). */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number | string | null>, tol: { abs?: number; rel?: number }, what: string): void {
  assert.strictEqual(actual.length, expected.length, `${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) expectClose(actual[i], expected[i], tol, `${what}[${i}]`);
}

/** Tolerances from the brief: metrics 1e-9 absolute, p-values 1e-6 relative. */
export const METRIC = { abs: 1e-9 };
export const PVALUE = { rel: 1e-6 };
