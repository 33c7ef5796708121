/**
 * Three-class out-of-domain classification (paper Fig. 3d / S2: normal vs pneumonia vs COVID-19): a multi-class head
 * (cross-entropy) selected on validation macro accuracy; test macro accuracy, per-class recall, the one-vs-rest AUROC of
 * `rocClass` (default the last class) and the confusion matrix. The test set may come from another dataset (`testSet`),
 * which is what makes it out-of-domain.
 */
import type { SampleTable } from '../data/types';
import { argmaxRows, macroAccuracy } from '../adapters/grid/selection-metric';
import { extractFeatures } from '../features/extract';
import { FeatureSet, selectIds } from '../features/feature-set';
import { auroc, confusionMatrix, perClassRecall } from '../stats';
import type { EvalInput, EvalResult, Predictions } from './eval-input';
import { resolveFeatures, seedsOf } from './eval-input';
import { fitAndSelect } from './grid-run';
import { classIndices, idsWithClass } from './labels';
import { ResultRow, rowMaker, toResultTable } from './result-table';

export interface OutOfDomainInput extends EvalInput {
  /** Class (name or index) whose one-vs-rest ROC is reported (default: the last class). */
  rocClass?: string | number;
  /** Test on another dataset (same class names) instead of `samples`' test split. */
  testSet?: { samples: SampleTable; features?: FeatureSet; split?: 'train' | 'val' | 'test' };
}

export async function evalOutOfDomain3Class(input: OutOfDomainInput): Promise<EvalResult> {
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
  return { table: toResultTable(rows), predictions };
}

async function extractFeaturesFor(input: EvalInput, samples: SampleTable, split: 'train' | 'val' | 'test'): Promise<FeatureSet> {
  if (!input.encoder || !input.cacheDir) throw new Error(`eval ${input.model}: no features for ${samples.dataset}/${split} and no encoder + cacheDir to extract them`);
  return extractFeatures(input.encoder, samples, { split, batchSize: input.extractBatchSize ?? 32, cacheDir: input.cacheDir });
}
