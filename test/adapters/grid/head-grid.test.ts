import * as assert from 'assert';
import { initBackend } from '../../../lib/engine/backend';
import { HeadGrid } from '../../../lib/adapters/grid/head-grid';
import { configName, gridConfigs } from '../../../lib/adapters/grid/config';
import { selectionScore } from '../../../lib/adapters/grid/selection-metric';
import { planted } from '../planted';
import { createLinAlg } from '../../../lib/adapters/grid/linalg';

describe('HeadGrid', () => {
  before(async () => { await initBackend(); });
  const train = planted(300, { seed: 1, strength: 4 });
  const val = planted(200, { seed: 2, strength: 4 });
  const grid = { lrs: [1e-3, 5e-2], wds: [0, 1e-4] };

  it('has the paper grid of 156 configs by default', async () => {
    const g = new HeadGrid({ dim: 8, tokens: 4, classes: 2, task: 'multilabel' });
    assert.strictEqual(g.configs.length, 156);
    assert.strictEqual(new Set(g.names).size, 156);
    await g.dispose();
  });

  it('trains all families together: losses fall, val AUROC far above chance', async () => {
    const g = new HeadGrid({ dim: 16, tokens: 9, classes: 3, task: 'multilabel', grid, epochs: 8, batchSize: 32, hidden: 16, seed: 3 });
    const hist = await g.fit(train.fs, train.labels);
    const scores = await g.predict(val.fs);
    const auc = scores.map((s) => selectionScore('auroc', val.labels, s, val.fs.n, 3));
    const best = Math.max(...auc);
    // every architecture learns something at lr 5e-2 (chance 0.5)
    for (const pooling of ['avg', 'attentive'] as const) for (const layers of [1, 2] as const) {
      const i = g.configs.findIndex((c) => c.pooling === pooling && c.layers === layers && c.lr === 5e-2 && c.wd === 0);
      assert.ok(hist[hist.length - 1][i] < hist[0][i], `${configName(g.configs[i])}: loss did not fall`);
      assert.ok(auc[i] > 0.72, `${configName(g.configs[i])}: val AUROC ${auc[i]}`);
    }
    // the planted signal sits in one token: attentive pooling should beat averaging it away
    const bestAtt = Math.max(...auc.filter((_, i) => g.configs[i].pooling === 'attentive'));
    const bestAvg = Math.max(...auc.filter((_, i) => g.configs[i].pooling === 'avg'));
    assert.ok(bestAtt > 0.9 && bestAtt > bestAvg + 0.05, `best attentive AUROC ${bestAtt}, best avg ${bestAvg}`);
    assert.strictEqual(best, bestAtt);
    await g.dispose();
  });

  it('attention maps [N, C, T] sum to 1 and point at the planted token far above chance', async () => {
    const g = new HeadGrid({ dim: 16, tokens: 9, classes: 3, task: 'multilabel', grid: { lrs: [5e-2], wds: [0], layers: [1], poolings: ['attentive'] }, epochs: 8, batchSize: 32, seed: 3 });
    await g.fit(train.fs, train.labels);
    const a = await g.attention(val.fs, 0);
    assert.strictEqual(a.length, val.fs.n * 3 * 9);
    let hits = 0, total = 0;
    for (let i = 0; i < val.fs.n; i++) for (let c = 0; c < 3; c++) {
      const m = a.subarray((i * 3 + c) * 9, (i * 3 + c + 1) * 9);
      assert.ok(Math.abs(m.reduce((s, v) => s + v, 0) - 1) < 1e-4);
      const p = val.where[i * 3 + c];
      if (p < 0) continue;
      let arg = 0;
      for (let k = 1; k < 9; k++) if (m[k] > m[arg]) arg = k;
      total++; if (arg === p) hits++;
    }
    assert.ok(hits / total > 0.6, `pinpointing ${hits}/${total} (chance 1/9)`);
    await g.dispose();
  });

  it('is reproducible from its seed and changes with it', async () => {
    const run = async (seed: number) => {
      const g = new HeadGrid({ dim: 16, tokens: 9, classes: 3, task: 'multilabel', grid: { lrs: [1e-2], wds: [0] }, epochs: 2, batchSize: 50, hidden: 8, seed });
      await g.fit(train.fs, train.labels);
      const s = await g.predict(val.fs);
      await g.dispose();
      return s;
    };
    const a = await run(5), b = await run(5), c = await run(6);
    a.forEach((s, i) => assert.deepStrictEqual(Array.from(s), Array.from(b[i])));
    assert.notDeepStrictEqual(Array.from(a[0]), Array.from(c[0]));
  });

  it('two worker threads give the same heads as one (each head keeps its own init stream)', async () => {
    const opts = { dim: 16, tokens: 9, classes: 3, task: 'multilabel' as const, grid: { lrs: [1e-3, 5e-2], wds: [0] }, epochs: 2, batchSize: 50, hidden: 8, seed: 4 };
    const run = async (workers: number) => {
      const g = new HeadGrid({ ...opts, workers });
      const hist = await g.fit(train.fs, train.labels);
      const s = await g.predict(val.fs);
      const att = await g.attention(val.fs, g.configs.findIndex((c) => c.pooling === 'attentive'));
      await g.dispose();
      return { hist, s, att };
    };
    const one = await run(1), two = await run(2);
    const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };
    assert.strictEqual(two.s.length, 8);
    two.s.forEach((s, i) => assert.ok(s.length === val.fs.n * 3 && maxDiff(s, one.s[i]) < 1e-4, `config ${i}: max |Δ| ${maxDiff(s, one.s[i])}`));
    assert.ok(maxDiff(two.hist[1], one.hist[1]) < 1e-4);
    assert.ok(maxDiff(two.att, one.att) < 1e-4);
  });

  it('multi-class (cross-entropy, softmax scores summing to 1) beats chance macro accuracy', async () => {
    const g = new HeadGrid({ dim: 16, tokens: 9, classes: 3, task: 'multiclass', grid: { lrs: [5e-2], wds: [0], layers: [1] }, epochs: 8, batchSize: 32, seed: 1 });
    await g.fit(train.fs, train.classes);
    const s = await g.predict(val.fs);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(s[0][i * 3] + s[0][i * 3 + 1] + s[0][i * 3 + 2] - 1) < 1e-5);
    const acc = s.map((x) => selectionScore('accuracy', val.classes, x, val.fs.n, 3));
    assert.ok(Math.max(...acc) > 0.55, `macro accuracy ${acc}`);
    await g.dispose();
  });

  it('rejects attentive configs without patches and mismatched inputs, naming the problem', async () => {
    assert.throws(() => new HeadGrid({ dim: 16, tokens: 0, classes: 3, task: 'multilabel' }), /attentive configs need patch tokens/);
    const g = new HeadGrid({ dim: 16, tokens: 9, classes: 3, task: 'multilabel', grid: { lrs: [1e-2], wds: [0] } });
    await assert.rejects(g.fit(train.fs, train.labels.subarray(3)), /labels for 300 samples/);
    await assert.rejects(g.predict({ ...val.fs, dim: 8 }), /dim 8/);
    await g.dispose();
    assert.strictEqual(gridConfigs({ lrs: [1e-3], poolings: ['avg'] }).length, 6);
  });
});

describe('createLinAlg', () => {
  it('ort and tfjs engines agree on op(A)·op(B) for every transpose combination; tfjs does not leak', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await initBackend();
    const [ort, tfl] = [await createLinAlg('ort'), await createLinAlg('tfjs')];
    const a = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)), b = Float32Array.from({ length: 12 }, (_, i) => Math.cos(i));
    // A [3,4] (or its transpose [4,3]); B [4,3] (or [3,4])
    const cases: [[number, number], [number, number], boolean, boolean, number[]][] = [
      [[3, 4], [4, 3], false, false, [3, 3]], [[4, 3], [4, 3], true, false, [3, 3]], [[3, 4], [3, 4], false, true, [3, 3]], [[4, 3], [3, 4], true, true, [3, 3]],
    ];
    const before = tf.memory().numTensors;
    for (const [as, bs, ta, tb] of cases) {
      const x = await ort.gemm(a, as, b, bs, ta, tb);
      const y = await tfl.gemm(a, as, b, bs, ta, tb);
      // reference: plain loops
      const [m, k] = ta ? [as[1], as[0]] : as;
      const n = tb ? bs[0] : bs[1];
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += (ta ? a[q * as[1] + i] : a[i * as[1] + q]) * (tb ? b[j * bs[1] + q] : b[q * bs[1] + j]);
        assert.ok(Math.abs(x[i * n + j] - s) < 1e-5 && Math.abs(y[i * n + j] - s) < 1e-5, `${ta}${tb} [${i},${j}]`);
      }
    }
    assert.strictEqual(tf.memory().numTensors, before, 'tfjs gemm leaked tensors');
    await ort.release(); await tfl.release();
  });
});
