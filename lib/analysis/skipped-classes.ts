/** Which classes a macro AUROC had to leave out, from a protocol's test predictions. */
import type { Predictions } from '../eval/protocol';
import { macroAuroc } from '../stats';

/**
 * The classes macro AUROC left out (a single label value among the known test labels), per model, dataset and seed
 * of the protocol's test predictions → rows { model, dataset, seed, skipped: 'A, B' }.
 */
export function skippedClasses(predictions: ReadonlyMap<string, Predictions[]>, dataset: string): { model: string; dataset: string; seed: number; skipped: string }[] {
  const out: { model: string; dataset: string; seed: number; skipped: string }[] = [];
  for (const [model, preds] of predictions) {
    for (const p of preds) {
      const n = p.ids.length, c = p.classNames.length;
      const Y = Array.from({ length: c }, (_, k) => Float64Array.from({ length: n }, (_, i) => p.labels[i * c + k]));
      const S = Array.from({ length: c }, (_, k) => Float64Array.from({ length: n }, (_, i) => p.scores[i * c + k]));
      out.push({ model, dataset, seed: p.seed, skipped: macroAuroc(Y, S, { layout: 'classes' }).skipped.map((k) => p.classNames[k]).join(', ') });
    }
  }
  return out;
}
