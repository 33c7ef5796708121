/** lib/analysis on a real SampleTable (the synthetic phantoms' contract) and lib/eval's Predictions type. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareSlices, demographicsTable, noFindingRule, sliceBy } from '../../lib/analysis';
import type { SampleTable } from '../../lib/data/types';
import { loadSynthetic } from '../../lib/data/synthetic';
import { createRng } from '../../lib/engine/rng';
import type { Predictions } from '../../lib/eval/protocol';
import { labelMatrix } from '../../lib/eval/labels';

describe('lib/analysis on the synthetic phantoms', function () {
  this.timeout(120000);
  let samples: SampleTable;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-synth-'));
    samples = await loadSynthetic({ variant: 'cxr', n: 120, size: 32, seed: 3, cacheDir: dir });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("demographicsTable uses the 'No Finding' column and counts every row", () => {
    assert.deepStrictEqual(noFindingRule(samples), { kind: 'column', labels: ['No Finding'] });
    const t = demographicsTable(samples).objects() as Record<string, number & string>[];
    const all = t.find((r) => r.split === 'all') as Record<string, number>;
    assert.strictEqual(all.n_images, samples.table.numRows());
    const nf = (samples.table.array('No Finding') as number[]).filter((v) => v === 1).length;
    assert.ok(Math.abs(all.pct_no_finding - (100 * nf) / samples.table.numRows()) < 1e-12);
    assert.strictEqual(t.filter((r) => r.split !== 'all').reduce((s, r) => s + (r.n_images as number), 0), all.n_images);
  });

  it('sliceBy / compareSlices take lib/eval Predictions', () => {
    const ids = Array.from(samples.table.array('id') as ArrayLike<string>);
    const names = samples.labelNames.slice(0, 6);
    const labels = labelMatrix(samples, ids, names);
    const rng = createRng(0);
    const scores = Float32Array.from(labels, (y) => (Number.isNaN(y) ? 0.5 : 0.3 * y + 0.7 * rng.uniform()));
    const p: Predictions = { seed: 0, fold: 0, config: '', split: 'all', group: '', ids, classNames: names, scores, labels };
    const bySex = sliceBy([p], samples, 'sex', { minPerGroup: 5, bootstrap: { n: 50, seed: 0 } }).objects() as Record<string, number & string>[];
    assert.deepStrictEqual(bySex.map((r) => r.group).filter((g) => g !== '(missing)'), ['F', 'M']);
    assert.strictEqual(bySex.reduce((s, r) => s + (r.n as number), 0), ids.length);
    for (const r of bySex) if (!r.reason) assert.ok(r.value > 0.5 && r.lo <= r.value && r.value <= r.hi, `${r.group}: ${r.value}`);
    const byAge = sliceBy(p, samples, 'age', { bins: [0, 35, 60, Infinity], minPerGroup: 5, bootstrap: false }).objects() as Record<string, string>[];
    assert.deepStrictEqual(byAge.slice(0, 3).map((r) => r.group), ['[0, 35)', '[35, 60)', '>=60']);
    const cmp = compareSlices(p, samples, 'view', { minPerGroup: 5, bootstrap: false, permutations: { n: 50, seed: 0 } }).objects() as Record<string, number & string>[];
    assert.deepStrictEqual([cmp[0].a, cmp[0].b], ['AP', 'PA']);
    assert.ok(cmp[0].p_perm > 0 && cmp[0].p_perm <= 1);
  });
});
