/**
 * Generalization across populations (paper Fig. 4a, S4): train and select on population A (its train / val rows), test on
 * every population's test rows — A itself (in-domain) and the others (out-of-domain). Rows: group = test population,
 * metric 'auroc' (macro), and group '<population>/<class>' for per-class AUROC (the in- vs out-of-domain scatter).
 * `crossPopulation` runs it once per source population of a population mix (`populationMix`), on the labels with enough
 * positives in every population (`transferLabels`).
 */
import { columnsOf } from '../../adapters/grid/selection-metric';
import { selectIds } from '../../features/feature-set';
import { macroAuroc } from '../../stats';
import type { ProtocolInput, ProtocolResult, Predictions } from '../protocol';
import { resolveFeatures, seedsOf } from '../protocol';
import { fitAndSelect } from './run';
import { columnOf, labelMatrix } from '../labels';
import { ResultRow, rowMaker, toResultTable } from '../result-table';
import type { ColumnTable } from 'arquero';
import type { SampleTable } from '../../data/types';
import { pyramidFeatures } from '../dense/pyramid-features';

export interface GeneralizationInput extends ProtocolInput {
  /** Population trained and selected on. */
  trainPopulation: string;
  /** Populations tested (default: every population in the test split). */
  testPopulations?: string[];
}

export async function evalGeneralization(input: GeneralizationInput): Promise<ProtocolResult> {
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
  return { table: toResultTable(rows), predictions, extras: {} };
}

/** The two source populations of Fig 4a (lib/data/synthetic/populations.ts: popA outpatient PA, popB ICU/portable AP). */
export const TRANSFER_POPULATIONS: readonly string[] = ['popA', 'popB'];

/**
 * Generator override giving synthetic-cxr an equal mix of `pops` (the manifest default is popA only). Pass the same object
 * to `session.dataset` and `session.compare(…, { generator })` so the feature-cache key names the mix.
 */
export function populationMix(pops: readonly string[] = TRANSFER_POPULATIONS): { populations: string[] } {
  if (pops.length < 2) throw new Error(`populationMix: need two or more populations, got [${pops.join(', ')}]`);
  return { populations: [...pops] };
}

export interface CrossPopulationInput extends ProtocolInput {
  /** Source populations; each is trained on in turn and every one is tested (default TRANSFER_POPULATIONS). */
  populations?: readonly string[];
}

/**
 * evalGeneralization once per source population (train + select on its train / val rows, test on every population's
 * test rows), stacked; `task` = 'train <pop>' names the source. Labels default to transferLabels (those with enough
 * positives in every population and split). Rows with group = <test pop> and metric 'auroc' are
 * the macro AUROC of Fig 4a; groups '<pop>/<class>' the per-class AUROC.
 */
export async function crossPopulation(input: CrossPopulationInput): Promise<ProtocolResult> {
  const pops = input.populations ?? TRANSFER_POPULATIONS;
  const { populations: _p, ...rest } = input;
  const labels = input.labels ?? transferLabels(input.samples, pops);
  const features = input.features ?? await pyramidFeatures(input, input.samples);
  const tables: ColumnTable[] = [];
  const predictions: Predictions[] = [];
  for (const pop of pops) {
    const r = await evalGeneralization({ ...rest, features, labels, trainPopulation: pop, testPopulations: [...pops], task: `train ${pop}` });
    tables.push(r.table);
    predictions.push(...r.predictions);
  }
  return { table: tables.reduce((a, b) => a.concat(b)), predictions, extras: {} };
}

/** Default for transferLabels: a label enters the macro AUROC only with this many positives per population and split. */
export const MIN_TRANSFER_POSITIVES = 5;

/**
 * The labels a cross-population macro AUROC can be computed on: those with at least `minPositives` known positives in
 * every population's train, val AND test rows (a label absent from a population's test set has no AUROC there, and a
 * handful of positives gives a coin-flip value that swamps the macro mean). Throws when none qualifies.
 */
export function transferLabels(samples: SampleTable, pops: readonly string[] = TRANSFER_POPULATIONS, minPositives = MIN_TRANSFER_POSITIVES): string[] {
  const popCol = samples.table.array('population') as ArrayLike<string>;
  const splitCol = samples.table.array('split') as ArrayLike<string>;
  const keep = samples.labelNames.filter((name) => {
    const y = samples.table.array(name) as ArrayLike<number>;
    const count = new Map<string, number>();
    for (let i = 0; i < y.length; i++) if (y[i] === 1) count.set(`${popCol[i]}|${splitCol[i]}`, (count.get(`${popCol[i]}|${splitCol[i]}`) ?? 0) + 1);
    return pops.every((p) => ['train', 'val', 'test'].every((s) => (count.get(`${p}|${s}`) ?? 0) >= minPositives));
  });
  if (!keep.length) throw new Error(`transferLabels: no label has ${minPositives} positives in every split of ${pops.join(', ')} (${samples.dataset})`);
  return keep;
}
