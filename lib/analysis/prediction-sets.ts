/**
 * The scored predictions sliceBy / compareSlices read: one or several sets (seeds, folds) of test scores, each
 * { ids, scores [N, C], labels } — lib/eval's Predictions, or any plain object of that shape. Labels [N, C] of 1/0/NaN
 * make a multi-label set; labels [N] of class indices a multi-class one.
 */
import type { SampleTable } from '../data/types';
import { rowIndex } from '../eval/labels';

export interface ScoredSet {
  ids: readonly string[];
  /** [N, C] row-major scores (higher = more positive). */
  scores: ArrayLike<number>;
  /** [N, C] 1/0/NaN (multi-label) or [N] class indices (multi-class). */
  labels: ArrayLike<number>;
  classNames?: readonly string[];
  seed?: number;
  fold?: number;
}

export interface PreparedSet {
  name: string;
  ids: readonly string[];
  n: number;
  c: number;
  multiclass: boolean;
  scores: ArrayLike<number>;
  labels: ArrayLike<number>;
  classNames: string[];
  /** Row of each id in the SampleTable. */
  sampleRows: Int32Array;
}

/** Validates every set against the sample table; ids missing from it are an error naming the id. */
export function prepareSets(fn: string, input: ScoredSet | readonly ScoredSet[], samples: SampleTable): PreparedSet[] {
  const list: readonly ScoredSet[] = Array.isArray(input) ? input : [input as ScoredSet];
  if (list.length === 0) throw new Error(`${fn}: no prediction sets given`);
  const index = rowIndex(samples);
  const sets = list.map((s, k) => {
    const name = `set ${k}${s.seed !== undefined ? ` (seed ${s.seed}${s.fold ? `, fold ${s.fold}` : ''})` : ''}`;
    const n = s.ids?.length ?? 0;
    if (n === 0) throw new Error(`${fn}: ${name} has no ids`);
    if (s.scores.length % n !== 0) throw new Error(`${fn}: ${name}: scores has ${s.scores.length} values for ${n} ids`);
    const c = s.scores.length / n;
    let multiclass: boolean;
    if (s.labels.length === n * c) multiclass = false;
    else if (s.labels.length === n) multiclass = true;
    else throw new Error(`${fn}: ${name}: labels has ${s.labels.length} values; expected ${n * c} ([N, C]) or ${n} (class indices)`);
    if (multiclass) {
      for (let i = 0; i < n; i++) {
        const y = s.labels[i];
        if (!(Number.isInteger(y) && y >= 0 && y < c)) throw new Error(`${fn}: ${name}: labels[${i}] (id ${s.ids[i]}) is ${y}; expected a class index in 0..${c - 1}`);
      }
    } else {
      for (let i = 0; i < s.labels.length; i++) {
        const y = s.labels[i];
        if (!(y === 0 || y === 1 || Number.isNaN(y))) throw new Error(`${fn}: ${name}: labels[${Math.floor(i / c)}, ${i % c}] (id ${s.ids[Math.floor(i / c)]}) is ${y}; expected 1, 0 or NaN`);
      }
    }
    for (let i = 0; i < s.scores.length; i++) {
      if (!Number.isFinite(s.scores[i])) throw new Error(`${fn}: ${name}: scores[${Math.floor(i / c)}, ${i % c}] (id ${s.ids[Math.floor(i / c)]}) is ${s.scores[i]}`);
    }
    const classNames = s.classNames ? [...s.classNames] : Array.from({ length: c }, (_, j) => `class ${j}`);
    if (classNames.length !== c) throw new Error(`${fn}: ${name}: ${classNames.length} classNames for ${c} score columns`);
    const sampleRows = Int32Array.from(s.ids, (id) => {
      const r = index.get(id);
      if (r === undefined) throw new Error(`${fn}: ${name}: sample ${id} is not in dataset ${samples.dataset}`);
      return r;
    });
    return { name, ids: s.ids, n, c, multiclass, scores: s.scores, labels: s.labels, classNames, sampleRows };
  });
  const first = sets[0];
  for (const s of sets) {
    if (s.multiclass !== first.multiclass || s.classNames.join('\u0000') !== first.classNames.join('\u0000')) {
      throw new Error(`${fn}: ${s.name} has classes [${s.classNames.join(', ')}]${s.multiclass ? ' (multi-class)' : ''}, ${first.name} has [${first.classNames.join(', ')}]${first.multiclass ? ' (multi-class)' : ''}`);
    }
  }
  return sets;
}

/** Class indices for a list of class names (default: every class). */
export function classIndicesOf(fn: string, set: PreparedSet, classes?: readonly string[]): number[] {
  if (!classes) return set.classNames.map((_, j) => j);
  return classes.map((name) => {
    const j = set.classNames.indexOf(name);
    if (j < 0) throw new Error(`${fn}: no class '${name}' (classes: ${set.classNames.join(', ')})`);
    return j;
  });
}

/** True when every set has the same ids in the same order (seeds of one test split): resampling can then be paired. */
export function sameIds(sets: readonly PreparedSet[]): boolean {
  return sets.every((s) => s.n === sets[0].n && s.ids.every((id, i) => id === sets[0].ids[i]));
}
