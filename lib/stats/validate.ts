/**
 * Input checks shared by the metrics: every failure names the function, the argument and the index.
 * Accepted vectors are any ArrayLike<number> (plain arrays or typed arrays).
 */

export type Vector = ArrayLike<number>;

export function assertVector(fn: string, name: string, v: unknown): asserts v is Vector {
  if (v === null || v === undefined || typeof (v as Vector).length !== 'number' || typeof v === 'string') {
    throw new Error(`${fn}: ${name} must be an array of numbers, got ${v === null ? 'null' : typeof v}`);
  }
}

export function assertNonEmpty(fn: string, name: string, v: Vector): void {
  if (v.length === 0) throw new Error(`${fn}: ${name} is empty`);
}

export function assertSameLength(fn: string, nameA: string, a: Vector, nameB: string, b: Vector): void {
  if (a.length !== b.length) {
    throw new Error(`${fn}: length mismatch: ${nameA} has ${a.length} entries, ${nameB} has ${b.length}`);
  }
}

/** Every entry a finite number (no NaN, no ±Infinity). */
export function assertFinite(fn: string, name: string, v: Vector): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new Error(`${fn}: ${name}[${i}] is ${String(x)}; expected a finite number`);
    }
  }
}

/** Every entry exactly 0 or 1. */
export function assertBinary(fn: string, name: string, v: Vector): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== 0 && x !== 1) throw new Error(`${fn}: ${name}[${i}] is ${String(x)}; labels must be 0 or 1`);
  }
}

/** Every entry a non-negative integer (class index). */
export function assertClassIndices(fn: string, name: string, v: Vector): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!Number.isInteger(x) || x < 0) {
      throw new Error(`${fn}: ${name}[${i}] is ${String(x)}; class labels must be non-negative integers`);
    }
  }
}

/** Vector + finite + non-empty in one call. */
export function checkSample(fn: string, name: string, v: unknown, minLength = 1): asserts v is Vector {
  assertVector(fn, name, v);
  if (v.length < minLength) {
    throw new Error(minLength === 1 ? `${fn}: ${name} is empty` : `${fn}: ${name} needs at least ${minLength} values, got ${v.length}`);
  }
  assertFinite(fn, name, v);
}
