/**
 * Patient-level splits. Every random step is seeded; a patient (or a merged group of patients) never lands in two
 * splits. Patients are sorted before shuffling so the result does not depend on row order.
 */
import { createRng } from '../engine/rng';
import type { SplitRule } from './manifest';
import type { SampleRecord } from './record';
import type { Split } from './types';

export interface Fractions { train: number; val: number; test: number }

/** Assign each group (patient) to a split: seeded shuffle of the sorted unique ids, then cut by fractions. */
export function splitGroups(groups: Iterable<string>, fractions: Fractions, seed: number): Map<string, Split> {
  const unique = [...new Set(groups)].sort();
  const order = createRng(seed).fork('patient-split').shuffle(unique);
  const n = order.length;
  const nTrain = Math.round(n * fractions.train);
  const nVal = Math.min(n - nTrain, Math.round(n * fractions.val));
  const out = new Map<string, Split>();
  order.forEach((g, i) => out.set(g, i < nTrain ? 'train' : i < nTrain + nVal ? 'val' : 'test'));
  return out;
}

/** The last integer in an id (JPCLN012 → 12), for parity folds. */
function lastNumber(id: string): number {
  const m = /(\d+)(?!.*\d)/.exec(id);
  if (!m) throw new Error(`parity split: id '${id}' has no number`);
  return Number(m[1]);
}

/**
 * Splits for all records under a manifest's rule. 'official' keeps `record.split` (records without one are an error)
 * and, with `valFraction`, moves that fraction of the training groups to 'val'. 'patient' splits groups by `fractions`.
 * 'parity' puts odd-numbered images in train and even-numbered ones in test.
 */
export function assignSplits(records: readonly SampleRecord[], rule: SplitRule, seed = rule.seed): Split[] {
  const groupOf = (r: SampleRecord) => r.group ?? r.patient;
  if (rule.rule === 'patient') {
    const m = splitGroups(records.map(groupOf), rule.fractions, seed);
    return records.map((r) => m.get(groupOf(r))!);
  }
  if (rule.rule === 'parity') return records.map((r) => (lastNumber(r.id) % 2 === 1 ? 'train' : 'test'));
  const splits = records.map((r) => {
    if (!r.split) throw new Error(`official split: no split for sample '${r.id}'${r.file ? ` (${r.file}${r.line ? `:${r.line}` : ''})` : ''}`);
    return r.split;
  });
  if (rule.valFraction && rule.valFraction > 0) {
    const trainGroups = records.filter((_, i) => splits[i] === 'train').map(groupOf);
    const m = splitGroups(trainGroups, { train: 1 - rule.valFraction, val: rule.valFraction, test: 0 }, seed);
    records.forEach((r, i) => { if (splits[i] === 'train' && m.get(groupOf(r)) === 'val') splits[i] = 'val'; });
  }
  return splits;
}

/** Union-find merge of patient ids known to be the same person (e.g. duplicate uploads); returns id → group. */
export function mergeGroups(ids: Iterable<string>, pairs: readonly [string, string][]): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let p = parent.get(x) ?? x;
    if (p === x) return x;
    p = find(p);
    parent.set(x, p);
    return p;
  };
  for (const id of ids) if (!parent.has(id)) parent.set(id, id);
  for (const [a, b] of pairs) {
    const ra = find(a), rb = find(b);
    if (ra !== rb) (ra < rb ? parent.set(rb, ra) : parent.set(ra, rb));
  }
  const out = new Map<string, string>();
  for (const id of parent.keys()) out.set(id, find(id));
  return out;
}
