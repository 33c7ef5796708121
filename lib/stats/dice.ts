/**
 * Dice coefficient and IoU of binary masks (flattened, values 0/1; any shape, any number of images
 * concatenated), and mean Dice over classes (paper Fig. 2b/2e "mDice").
 * Dice = 2|A∩B| / (|A| + |B|) (= sklearn f1_score on the flattened masks); IoU = |A∩B| / |A∪B| (= jaccard_score).
 * Empty policy — a class absent from both prediction and truth has 0/0: `emptyPolicy: 'exclude'` (default)
 * returns NaN and meanDice leaves it out of the mean (listed in `empty`); `'one'` scores it 1 (perfect agreement).
 */
import { assertBinary, assertNonEmpty, assertSameLength, assertVector, Vector } from './validate';

export type EmptyPolicy = 'exclude' | 'one';

function overlap(fn: string, pred: Vector, truth: Vector, predName = 'pred', truthName = 'truth'): { inter: number; a: number; b: number } {
  assertVector(fn, predName, pred);
  assertVector(fn, truthName, truth);
  assertSameLength(fn, predName, pred, truthName, truth);
  assertNonEmpty(fn, predName, pred);
  assertBinary(fn, predName, pred);
  assertBinary(fn, truthName, truth);
  let inter = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < pred.length; i++) {
    a += pred[i];
    b += truth[i];
    inter += pred[i] * truth[i];
  }
  return { inter, a, b };
}

function emptyValue(fn: string, policy: EmptyPolicy): number {
  if (policy === 'exclude') return NaN;
  if (policy === 'one') return 1;
  throw new Error(`${fn}: invalid emptyPolicy: ${String(policy)}`);
}

/** Dice of one binary mask pair. */
export function dice(pred: Vector, truth: Vector, opts: { emptyPolicy?: EmptyPolicy } = {}): number {
  const { inter, a, b } = overlap('dice', pred, truth);
  return a + b === 0 ? emptyValue('dice', opts.emptyPolicy ?? 'exclude') : (2 * inter) / (a + b);
}

/** Intersection over union of one binary mask pair (same empty policy as dice). */
export function iou(pred: Vector, truth: Vector, opts: { emptyPolicy?: EmptyPolicy } = {}): number {
  const { inter, a, b } = overlap('iou', pred, truth);
  const union = a + b - inter;
  return union === 0 ? emptyValue('iou', opts.emptyPolicy ?? 'exclude') : inter / union;
}

/**
 * Dice per class and their mean. preds[c] / truths[c] are class c's binary masks (flattened).
 * @returns perClass (NaN where excluded), mean over the non-NaN classes (NaN if none), empty = classes empty in both.
 */
export function meanDice(preds: ReadonlyArray<Vector>, truths: ReadonlyArray<Vector>, opts: { emptyPolicy?: EmptyPolicy } = {}): { perClass: number[]; mean: number; empty: number[] } {
  const fn = 'meanDice';
  if (!Array.isArray(preds) || !Array.isArray(truths)) throw new Error(`${fn}: preds and truths must be arrays of per-class masks`);
  if (preds.length !== truths.length) throw new Error(`${fn}: length mismatch: preds has ${preds.length} classes, truths has ${truths.length}`);
  if (preds.length === 0) throw new Error(`${fn}: no classes`);
  const policy = opts.emptyPolicy ?? 'exclude';
  emptyValue(fn, policy);
  const empty: number[] = [];
  const perClass = preds.map((p, c) => {
    const { inter, a, b } = overlap(fn, p, truths[c], `preds[${c}]`, `truths[${c}]`);
    if (a + b === 0) { empty.push(c); return emptyValue(fn, policy); }
    return (2 * inter) / (a + b);
  });
  const kept = perClass.filter((v) => !Number.isNaN(v));
  return { perClass, mean: kept.length ? kept.reduce((s, v) => s + v, 0) / kept.length : NaN, empty };
}

/** Integer label map (values 0..nClasses−1) → one binary mask per class, for meanDice. */
export function labelMapToMasks(map: Vector, nClasses: number): Uint8Array[] {
  const masks = Array.from({ length: nClasses }, () => new Uint8Array(map.length));
  for (let i = 0; i < map.length; i++) {
    const v = map[i];
    if (!Number.isInteger(v) || v < 0 || v >= nClasses) throw new Error(`labelMapToMasks: map[${i}] is ${v}; expected an integer in [0, ${nClasses})`);
    masks[v][i] = 1;
  }
  return masks;
}
