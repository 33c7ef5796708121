/**
 * Three-class out-of-domain classification (paper Fig. 3d / S2: normal vs pneumonia vs COVID-19): a multi-class head
 * (cross-entropy) selected on validation macro accuracy; test macro accuracy, per-class recall, the one-vs-rest AUROC of
 * `rocClass` (default the last class) and the confusion matrix. The test set may come from another dataset (`testSet`),
 * which is what makes it out-of-domain. `covid3Transfer` tests in domain and on a real set whose classes `alignClasses`
 * renamed to the synthetic ones.
 */
import type { SampleTable } from '../../data/types';
import { argmaxRows, macroAccuracy } from '../../adapters/grid/selection-metric';
import { FeatureSet, selectIds } from '../../features/feature-set';
import { auroc, confusionMatrix, perClassRecall } from '../../stats';
import type { ProtocolInput, ProtocolResult, Predictions } from '../protocol';
import { resolveFeatures, seedsOf, splitFeatures } from '../protocol';
import { fitAndSelect } from './run';
import { classIndices, idsWithClass } from '../labels';
import { ResultRow, rowMaker, toResultTable } from '../result-table';
import { allRowFeatures } from '../dense/pyramid-features';

export interface OutOfDomainInput extends ProtocolInput {
  /** Class (name or index) whose one-vs-rest ROC is reported (default: the last class). */
  rocClass?: string | number;
  /** Test on another dataset (same class names) instead of `samples`' test split. */
  testSet?: { samples: SampleTable; features?: FeatureSet; split?: 'train' | 'val' | 'test' };
}

export async function evalOutOfDomain3Class(input: OutOfDomainInput): Promise<ProtocolResult> {
  const names = input.samples.classNames;
  if (!names) throw new Error(`evalOutOfDomain3Class: dataset ${input.samples.dataset} has no classNames (not multi-class)`);
  const given = await resolveFeatures(input, input.testSet ? ['train', 'val'] : ['train', 'val', 'test']);
  // samples without a known class (NaN / null, e.g. 'other') take no part
  const known = (samples: SampleTable, f: FeatureSet) => {
    const ids = idsWithClass(samples, f.ids);
    return ids.length === f.n ? f : selectIds(f, ids);
  };
  const feats = { train: known(input.samples, given.train), val: known(input.samples, given.val), test: given.test && known(input.samples, given.test) };
  let testSamples = input.samples;
  let test = feats.test;
  if (input.testSet) {
    testSamples = input.testSet.samples;
    const tn = testSamples.classNames;
    if (!tn || tn.join('|') !== names.join('|')) throw new Error(`evalOutOfDomain3Class: test dataset ${testSamples.dataset} classes [${tn}] differ from [${names}]`);
    test = known(testSamples, input.testSet.features ?? await extractFeaturesFor(input, testSamples, input.testSet.split ?? 'test'));
  }
  const c = names.length;
  const k = typeof input.rocClass === 'number' ? input.rocClass : input.rocClass !== undefined ? names.indexOf(input.rocClass) : c - 1;
  if (!(k >= 0 && k < c)) throw new Error(`evalOutOfDomain3Class: rocClass ${input.rocClass} is not one of ${names.join(', ')}`);
  const yTrain = classIndices(input.samples, feats.train.ids);
  const yVal = classIndices(input.samples, feats.val.ids);
  const yTest = classIndices(testSamples, test.ids);
  const row = rowMaker({ model: input.model, task: input.task ?? 'out-of-domain-3class', dataset: testSamples.dataset });
  const rows: ResultRow[] = [];
  const predictions: Predictions[] = [];
  for (const seed of seedsOf(input)) {
    const sel = await fitAndSelect({ features: feats.train, labels: yTrain }, { features: feats.val, labels: yVal },
      { task: 'multiclass', classes: c, selection: 'accuracy', seed, head: input.head });
    let scores: Float32Array;
    try { scores = (await sel.grid.predict(test, [sel.best]))[sel.best]; } finally { await sel.grid.dispose(); }
    const config = sel.bestName;
    const pred = argmaxRows(scores, test.n, c);
    const cm = confusionMatrix(yTest, pred, { labels: names.map((_, i) => i) });
    const recall = perClassRecall(cm.matrix);
    rows.push(row({ split: 'val', seed, group: 'macro', metric: 'macro_accuracy', value: sel.valScores[sel.best], config }));
    rows.push(row({ split: 'test', seed, group: 'macro', metric: 'macro_accuracy', value: macroAccuracy(yTest, scores, c), config }));
    names.forEach((n, i) => rows.push(row({ split: 'test', seed, group: n, metric: 'recall', value: recall[i] ?? NaN, config })));
    const bin = Float64Array.from(yTest, (y) => (y === k ? 1 : 0));
    const sk = Float64Array.from({ length: test.n }, (_, i) => scores[i * c + k]);
    rows.push(row({ split: 'test', seed, group: names[k], metric: 'auroc', value: auroc(bin, sk), config }));
    names.forEach((t, i) => names.forEach((p, j) => rows.push(row({ split: 'test', seed, group: `true=${t}|pred=${p}`, metric: 'count', value: cm.matrix[i][j], config }))));
    predictions.push({ seed, fold: 0, config, split: 'test', group: '', ids: test.ids, classNames: names, scores, labels: yTest });
  }
  return { table: toResultTable(rows), predictions, extras: {} };
}

/** Features of another dataset's split (its own cache key: `input.datasetKey` names `input.samples`, not this set). */
async function extractFeaturesFor(input: ProtocolInput, samples: SampleTable, split: 'train' | 'val' | 'test'): Promise<FeatureSet> {
  const src = { encoder: input.encoder, cacheDir: input.cacheDir, extractBatchSize: input.extractBatchSize };
  return (await splitFeatures(src, samples, [split], { where: `eval ${input.model} on ${samples.dataset}` }))[split];
}

/**
 * A view of `st` whose multi-class labels use `names` (matched case-insensitively, ignoring '-', '_', ' ' and a '-19'
 * suffix: 'covid' ↔ 'COVID-19'), with the `class` column re-indexed and one-hot columns renamed — so a real set can be
 * the out-of-domain test set of a head trained on the synthetic classes. Throws naming the class it cannot match.
 */
export function alignClasses(st: SampleTable, names: readonly string[]): SampleTable {
  const from = st.classNames;
  if (!from) throw new Error(`alignClasses: dataset ${st.dataset} has no classNames`);
  const norm = (s: string) => s.toLowerCase().replace(/-19$/, '').replace(/[-_ ]/g, '');
  const map = from.map((c) => {
    const j = names.findIndex((n) => norm(n) === norm(c));
    if (j < 0) throw new Error(`alignClasses: ${st.dataset} class '${c}' matches none of ${names.join(', ')}`);
    return j;
  });
  if (new Set(map).size !== from.length || from.length !== names.length) {
    throw new Error(`alignClasses: ${st.dataset} classes [${from.join(', ')}] do not map one-to-one onto [${names.join(', ')}]`);
  }
  const cls = st.table.array('class') as ArrayLike<number | null>;
  const remapped = Array.from(cls, (c) => (typeof c === 'number' && Number.isFinite(c) ? map[c] : c));
  let table = st.table.assign({ class: remapped });
  const rename: Record<string, string> = {};
  from.forEach((c, i) => { if (table.columnNames().includes(c) && c !== names[map[i]]) rename[c] = names[map[i]]; });
  if (Object.keys(rename).length) table = table.rename(rename);
  return { ...st, table, classNames: [...names], labelNames: [...names] };
}

export interface Covid3Input extends ProtocolInput {
  /** The real 3-class set (covid-chestxray), already aligned (alignClasses) to `samples.classNames`; absent (a clone
   * without the real sets): the in-domain test only. */
  realTest?: SampleTable;
  /** Class whose one-vs-rest ROC is reported (default the COVID-like class: the last synthetic class). */
  rocClass?: string | number;
}

/**
 * Fig 3d: the 3-class head trained and selected on the synthetic set, tested on its own test split (dataset =
 * synthetic-covid3, in-domain) and, when `realTest` is given, on every labelled real image (dataset = covid-chestxray,
 * out-of-domain: none of them is trained on). Predictions carry `group` = the test dataset.
 */
export async function covid3Transfer(input: Covid3Input): Promise<ProtocolResult> {
  const { realTest, ...rest } = input;
  const tagP = (ps: Predictions[], g: string) => ps.map((p) => ({ ...p, group: g }));
  const inD = await evalOutOfDomain3Class({ ...rest });
  if (!realTest) return { table: inD.table, predictions: tagP(inD.predictions, input.samples.dataset), extras: {} };
  // all rows of the real set (none is trained on), the cache entry lungTransfer also reads
  const realFeats = await allRowFeatures(input, realTest);
  const outD = await evalOutOfDomain3Class({ ...rest, testSet: { samples: realTest, features: realFeats } });
  return {
    table: inD.table.concat(outD.table),
    predictions: [...tagP(inD.predictions, input.samples.dataset), ...tagP(outD.predictions, realTest.dataset)],
    extras: {},
  };
}
