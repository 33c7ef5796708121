import * as assert from 'assert';
import { initBackend } from '../../lib/engine/backend';
import {
  evalBias, evalCatheter, evalClassification, evalExplainability, evalGeneralization, evalLongTail, evalOutOfDomain3Class,
  RESULT_COLUMNS,
} from '../../lib/eval';
import { patchOverlap } from '../../lib/data/patch-grid';
import { plantedDataset } from './planted-samples';

const head = { grid: { lrs: [5e-2], wds: [0], layers: [1 as const] }, epochs: 8, batchSize: 32 };
const rowsOf = (t: { objects(): object[] }) => t.objects() as Record<string, unknown>[];
const pick = (rows: Record<string, unknown>[], q: Record<string, unknown>) => rows.filter((r) => Object.entries(q).every(([k, v]) => r[k] === v));

describe('eval protocols (planted features)', () => {
  before(async () => { await initBackend(); });
  const { samples, features } = plantedDataset(500);
  const base = { model: 'planted-enc', samples, features, head };

  it('evalClassification: tidy table, per-seed macro + per-class AUROC above chance, CI brackets, reproducible', async () => {
    const res = await evalClassification({ ...base, seeds: [0, 1], bootstrap: { n: 100 } });
    assert.deepStrictEqual(res.table.columnNames(), [...RESULT_COLUMNS]);
    const rows = rowsOf(res.table);
    for (const seed of [0, 1]) {
      const [macro] = pick(rows, { seed, split: 'test', group: 'macro', metric: 'auroc' });
      const [lo] = pick(rows, { seed, metric: 'auroc_ci_lo' });
      const [hi] = pick(rows, { seed, metric: 'auroc_ci_hi' });
      assert.ok((macro.value as number) > 0.85, `macro AUROC ${macro.value}`);
      assert.ok((lo.value as number) < (macro.value as number) && (macro.value as number) < (hi.value as number));
      assert.strictEqual(pick(rows, { seed, split: 'test', metric: 'auroc' }).length, 1 + 3);
      assert.ok(String(macro.config).startsWith('attentive-linear'), `selected ${macro.config}`);
    }
    assert.strictEqual(res.predictions.length, 2);
    assert.strictEqual(res.predictions[0].scores.length, features.test.n * 3);
    const again = await evalClassification({ ...base, seeds: [0, 1], bootstrap: { n: 100 } });
    assert.deepStrictEqual(rowsOf(again.table), rows);
  });

  it('evalLongTail: AUPRC per training-prevalence bin, prevalence rows from the train split', async () => {
    const res = await evalLongTail({ ...base, edges: [0.45, 0.5] });
    const rows = rowsOf(res.table);
    const prev = pick(rows, { metric: 'train_prevalence' }).map((r) => r.value as number);
    const y = features.train.ids.map((id) => samples.table.array('ETT - Normal')[samples.table.array('id').indexOf(id)] as number);
    assert.ok(Math.abs(prev[0] - y.reduce((s, v) => s + v, 0) / y.length) < 1e-12);
    const bins = pick(rows, { split: 'test', metric: 'auprc' }).map((r) => r.group);
    for (const b of ['macro', 'rare', 'uncommon', 'common']) assert.ok(bins.includes(b), `missing bin ${b}`);
    assert.ok((pick(rows, { split: 'test', group: 'macro', metric: 'auprc' })[0].value as number) > 0.7);
  });

  it('evalCatheter: AUPRC per position category', async () => {
    const rows = rowsOf((await evalCatheter(base)).table);
    for (const g of ['Normal', 'Borderline', 'Abnormal']) {
      const [r] = pick(rows, { split: 'test', group: g, metric: 'auprc' });
      assert.ok((r.value as number) > 0.6, `${g}: ${r.value}`);
    }
  });

  it('evalOutOfDomain3Class: macro accuracy above chance, ROC of COVID-19, confusion matrix sums to the test size', async () => {
    const res = await evalOutOfDomain3Class({ ...base, rocClass: 'COVID-19' });
    const rows = rowsOf(res.table);
    const [acc] = pick(rows, { split: 'test', metric: 'macro_accuracy' });
    assert.ok((acc.value as number) > 0.45, `macro accuracy ${acc.value} (chance 0.33)`);
    const [roc] = pick(rows, { metric: 'auroc', group: 'COVID-19' });
    assert.ok((roc.value as number) > 0.6);
    const counts = pick(rows, { metric: 'count' });
    assert.strictEqual(counts.length, 9);
    assert.strictEqual(counts.reduce((s, r) => s + (r.value as number), 0), features.test.n);
  });

  it('evalOutOfDomain3Class: tests on another dataset and leaves out samples of unknown class', async () => {
    const other = plantedDataset(200, 7);
    // mark two test samples of the other dataset as unknown class ('other' in covid-chestxray)
    const cls = other.samples.table.array('class') as number[];
    const ids = other.samples.table.array('id') as string[];
    const unknown = other.features.test.ids.slice(0, 2);
    const table = other.samples.table.assign({ class: cls.map((c, i) => (unknown.includes(ids[i]) ? NaN : c)) });
    const res = await evalOutOfDomain3Class({ ...base, testSet: { samples: { ...other.samples, dataset: 'planted-b', table }, features: other.features.test } });
    const rows = rowsOf(res.table);
    assert.strictEqual(rows[0].dataset, 'planted-b', 'rows name the test dataset');
    const counts = pick(rows, { metric: 'count' });
    assert.strictEqual(counts.reduce((s, r) => s + (r.value as number), 0), other.features.test.n - 2);
    assert.ok(!res.predictions[0].ids.some((id) => unknown.includes(id)));
    assert.ok((pick(rows, { split: 'test', metric: 'macro_accuracy' })[0].value as number) > 0.45);
  });

  it('evalGeneralization: train on P1, AUROC on every population', async () => {
    const rows = rowsOf((await evalGeneralization({ ...base, trainPopulation: 'P1' })).table);
    for (const p of ['P1', 'P2']) assert.ok((pick(rows, { split: 'test', group: p, metric: 'auroc' })[0].value as number) > 0.8);
    assert.strictEqual(pick(rows, { group: 'P2/ETT - Normal' }).length, 1);
  });

  it('evalBias: groups × groups AUROC per fold on equal-size subsets, Mann-Whitney between groups', async () => {
    const res = await evalBias({ ...base, attribute: 'sex', folds: 3 });
    const rows = rowsOf(res.table);
    assert.strictEqual(pick(rows, { metric: 'auroc' }).length, 3 * 3 * 3);
    const sizes = new Set(res.predictions.filter((p) => p.fold === 0).map((p) => p.ids.length));
    assert.strictEqual(sizes.size, 1, 'test subsets have equal size');
    const ps = pick(rows, { metric: 'mannwhitney_p' });
    assert.strictEqual(ps.length, 3 * 3 * 2);
    for (const p of ps) assert.ok((p.value as number) >= 0 && (p.value as number) <= 1);
    for (const r of pick(rows, { metric: 'auroc' })) assert.ok((r.value as number) > 0.7);
  });

  it('evalBias age_bin (Fig 4d): Young / Middle / Elder 3 × 3, every training group tested on the same test subset per test group', async () => {
    const res = await evalBias({ ...base, attribute: 'age_bin', folds: 2 });
    const groups = ['Young', 'Middle', 'Elder'];
    const pairs = [...new Set(pick(rowsOf(res.table), { metric: 'auroc' }).map((r) => r.group))].sort();
    assert.deepStrictEqual(pairs, groups.flatMap((a) => groups.map((b) => `train=${a}|test=${b}`)).sort());
    const ids = samples.table.array('id') as string[];
    const bins = samples.table.array('age_bin') as string[];
    for (const fold of [0, 1]) for (const t of groups) {
      const sets = groups.map((tr) => res.predictions.find((p) => p.fold === fold && p.group === `train=${tr}|test=${t}`)!.ids.join(','));
      assert.strictEqual(new Set(sets).size, 1, `fold ${fold}, test ${t}: one test subset for every training group`);
      assert.ok(sets[0].split(',').every((id) => bins[ids.indexOf(id)] === t), `fold ${fold}: test ${t} holds only ${t} images`);
    }
    const f0 = res.predictions.find((p) => p.fold === 0 && p.group === 'train=Young|test=Young')!.ids.join(',');
    const f1 = res.predictions.find((p) => p.fold === 1 && p.group === 'train=Young|test=Young')!.ids.join(',');
    assert.notStrictEqual(f0, f1, 'folds draw different test subsets');
  });

  it('evalExplainability: the attentive head pinpoints planted boxes far above chance', async () => {
    const res = await evalExplainability(base);
    const rows = rowsOf(res.table);
    const [macro] = pick(rows, { metric: 'pinpointing_accuracy', group: 'macro' });
    assert.ok((macro.value as number) > 0.5, `pinpointing ${macro.value} (chance ≈ 1/9)`);
    assert.ok(res.extras.maps.length > 50);
    const m = res.extras.maps[0];
    assert.strictEqual(m.map.length, m.gridH * m.gridW);
    assert.ok(String(macro.config).startsWith('attentive'));
  });

  it('patchOverlap: fraction of the patch inside the box (of the box when it is smaller than a patch)', () => {
    const box = { id: 'a', label: 'x', x: 4, y: 0, w: 8, h: 8 };
    assert.strictEqual(patchOverlap(0, 2, 2, 16, 16, box), 0.5);
    assert.strictEqual(patchOverlap(1, 2, 2, 16, 16, box), 0.5);
    assert.strictEqual(patchOverlap(2, 2, 2, 16, 16, box), 0);
    const nodule = { id: 'a', label: 'x', x: 6, y: 1, w: 2, h: 2 }; // 4 px² box, 64 px² patches
    assert.strictEqual(patchOverlap(0, 2, 2, 16, 16, nodule), 1);
    assert.strictEqual(patchOverlap(1, 2, 2, 16, 16, { ...nodule, x: 7 }), 0.5);
  });
});
