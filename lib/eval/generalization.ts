/**
 * Generalization across populations (paper Fig. 4a, S4): train and select on population A (its train / val rows), test on
 * every population's test rows — A itself (in-domain) and the others (out-of-domain). Rows: group = test population,
 * metric 'auroc' (macro), and group '<population>/<class>' for per-class AUROC (the in- vs out-of-domain scatter).
 */
import { columnsOf } from '../adapters/grid/selection-metric';
import { selectIds } from '../features/feature-set';
import { macroAuroc } from '../stats';
import type { EvalInput, EvalResult, Predictions } from './eval-input';
import { resolveFeatures, seedsOf } from './eval-input';
import { fitAndSelect } from './grid-run';
import { columnOf, labelMatrix } from './labels';
import { ResultRow, rowMaker, toResultTable } from './result-table';

export interface GeneralizationInput extends EvalInput {
  /** Population trained and selected on. */
  trainPopulation: string;
  /** Populations tested (default: every population in the test split). */
  testPopulations?: string[];
}

export async function evalGeneralization(input: GeneralizationInput): Promise<EvalResult> {
  const labels = input.labels ?? input.samples.labelNames;
  const c = labels.length;
  const feats = await resolveFeatures(input, ['train', 'val', 'test']);
  const pick = (split: 'train' | 'val' | 'test', pop: string) => {
    const f = feats[split];
    const pops = columnOf<string>(input.samples, f.ids, 'population');
    const ids = f.ids.filter((_, i) => pops[i] === pop);
    if (ids.length === 0) throw new Error(`evalGeneralization: no ${split} samples of population '${pop}' in ${input.samples.dataset}`);
    const fs = selectIds(f, ids);
    return { features: fs, labels: labelMatrix(input.samples, ids, labels) };
  };
  const train = pick('train', input.trainPopulation);
  const val = pick('val', input.trainPopulation);
  const testPops = input.testPopulations ?? [...new Set(columnOf<string>(input.samples, feats.test.ids, 'population'))].sort();
  const tests = testPops.map((p) => ({ pop: p, ...pick('test', p) }));
  const row = rowMaker({ model: input.model, task: input.task ?? 'generalization', dataset: input.samples.dataset });
  const rows: ResultRow[] = [];
  const predictions: Predictions[] = [];
  for (const seed of seedsOf(input)) {
    const sel = await fitAndSelect(train, val, { task: 'multilabel', classes: c, selection: 'auroc', seed, head: input.head });
    try {
      const config = sel.bestName;
      rows.push(row({ split: 'val', seed, group: input.trainPopulation, metric: 'auroc', value: sel.valScores[sel.best], config }));
      for (const t of tests) {
        const scores = (await sel.grid.predict(t.features, [sel.best]))[sel.best];
        const r = macroAuroc(columnsOf(t.labels, t.features.n, c), columnsOf(scores, t.features.n, c), { layout: 'classes' });
        rows.push(row({ split: 'test', seed, group: t.pop, metric: 'auroc', value: r.macro, config }));
        labels.forEach((name, k) => rows.push(row({ split: 'test', seed, group: `${t.pop}/${name}`, metric: 'auroc', value: r.perClass[k], config })));
        predictions.push({ seed, fold: 0, config, split: 'test', group: t.pop, ids: t.features.ids, classNames: labels, scores, labels: t.labels });
      }
    } finally {
      await sel.grid.dispose();
    }
  }
  return { table: toResultTable(rows), predictions };
}
