import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isSelfSupervisedRun, knnScores, findingAurocOf, macroAurocOf, probeCheckpoint, readoutsOf, probeFeatures, probeTargets, ridgeDual, ridgePrimal, ridgeScores, RIDGE_LAMBDAS } from '../../lib/pretrain/probe';
import { loadPretrainConfig } from '../../lib/pretrain/config';
import { createRng } from '../../lib/engine/rng';
import { LOGISTIC_CS, logisticPath } from '../../lib/pretrain/logistic';
import { macroAuroc } from '../../lib/stats/macro';
import { expectClose, torchFixture } from './helpers';

describe('knnScores', () => {
  it('is the exp(sim/T)-weighted vote of the k nearest neighbours by cosine (hand-computed)', () => {
    // train: e1 (label 1), e2 (label 0), −e1 (label 1); test along e1+0.1e2 → cosines 0.995, 0.0995, −0.995
    const train = Float32Array.from([1, 0, 0, 1, -1, 0]);
    const test = Float32Array.from([10, 1]);
    const s = knnScores(train, [[1, 0, 1]], test, 2, 2, 1);
    const c1 = 10 / Math.hypot(10, 1), c2 = 1 / Math.hypot(10, 1);
    expectClose(s[0], [Math.exp(c1) / (Math.exp(c1) + Math.exp(c2))], 1e-9);
  });

  it('ignores neighbours whose label is unknown (NaN)', () => {
    const s = knnScores(Float32Array.from([1, 0, 0.9, 0.1]), [[NaN, 1]], Float32Array.from([1, 0]), 2, 2);
    expectClose(s[0], [1]);
  });
});

describe('ridgeScores', () => {
  it('matches scikit-learn Ridge(alpha = λ·n) on standardised features', () => {
    const f = torchFixture.ridge;
    const s = ridgeScores(Float32Array.from(f.trainX), f.trainY, Float32Array.from(f.testX), f.d, f.lam);
    for (let c = 0; c < f.C; c++) expectClose(s[c], f.scores[c], 1e-5, `class ${c}`);
  });

  it('with more features than rows (raw pixels) solves the n × n dual, equal to the primal normal equations', () => {
    const rng = createRng(7);
    const n = 12, d = 30, nTe = 5;
    const X = Float32Array.from({ length: n * d }, () => rng.normal() * 2 + 1);
    const T = Float32Array.from({ length: nTe * d }, () => rng.normal());
    const Y = [Array.from({ length: n }, (_, i) => (X[i * d] > 1 ? 1 : 0)), Array.from({ length: n }, (_, i) => (i === 3 ? NaN : i % 2))];
    for (const lam of [1e-3, 1]) {
      const dual = ridgeDual(X, Y, T, d, lam), primal = ridgePrimal(X, Y, T, d, lam);
      for (let c = 0; c < 2; c++) expectClose(dual[c], primal[c], 1e-8, `λ ${lam} class ${c}`);
    }
    assert.deepStrictEqual(ridgeScores(X, Y, T, d, 1), ridgeDual(X, Y, T, d, 1));
  });
});

describe('probeFeatures', () => {
  it('scores separable features near AUROC 1 and reports the scored classes', () => {
    const n = 40, d = 3;
    const X = new Float32Array(n * d), Y = [new Array<number>(n).fill(0)];
    for (let i = 0; i < n; i++) { const y = i % 2; Y[0][i] = y; X[i * d] = y ? 1 : -1; X[i * d + 1] = Math.sin(i); X[i * d + 2] = 0.5; }
    const r = probeFeatures(X, Y, X, Y, d, ['a'], 5);
    assert.ok(r.knnMacroAuroc > 0.99 && r.linearMacroAuroc > 0.99);
    assert.deepStrictEqual(r.classes, ['a']);
  });

  it('reports each scored class\'s AUROC aligned with `classes`, whose mean is the macro; a one-class column is left out of both', () => {
    // class a: feature 0 separates it; class b: all negatives in test (skipped); class c: feature 1, with noise
    const rng = createRng(11);
    const n = 60, d = 3, X = new Float32Array(n * d), Y = [[], [], []] as number[][];
    for (let i = 0; i < n; i++) {
      const a = i % 2, c = rng.uniform() < 0.4 ? 1 : 0;
      Y[0].push(a); Y[1].push(0); Y[2].push(c);
      X[i * d] = a + 0.3 * rng.normal(); X[i * d + 1] = c + rng.normal(); X[i * d + 2] = rng.normal();
    }
    const r = probeFeatures(X, Y, X, Y, d, ['a', 'b', 'c'], 5);
    assert.deepStrictEqual(r.classes, ['a', 'c']);
    const byHand = macroAuroc(Y, ridgeScores(X, Y, X, d, 1e-2), { layout: 'classes' });
    assert.deepStrictEqual(r.linearPerClass, [byHand.perClass[0], byHand.perClass[2]]);
    assert.strictEqual(r.knnPerClass!.length, 2);
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expectClose([mean(r.linearPerClass!), mean(r.knnPerClass!)], [r.linearMacroAuroc, r.knnMacroAuroc], 1e-12);
    assert.ok(r.linearPerClass![0] > r.linearPerClass![1], 'the cleanly separated class scores higher');
  });

  it('chooses λ on the val rows (the best val macro AUROC of RIDGE_LAMBDAS) and refits on train + val', () => {
    // one informative feature plus noise features: heavy shrinkage (λ 10) flattens the informative one less than it
    // damps the noise, so val decides; the chosen λ must be the arg-max of the val AUROCs computed here by hand
    const rng = createRng(3);
    const mk = (n: number) => {
      const d = 8, X = new Float32Array(n * d), Y = [new Array<number>(n).fill(0)];
      for (let i = 0; i < n; i++) { const y = rng.uniform() < 0.5 ? 1 : 0; Y[0][i] = y; X[i * d] = y + rng.normal(); for (let j = 1; j < d; j++) X[i * d + j] = rng.normal(); }
      return { X, Y };
    };
    const tr = mk(30), va = mk(40), te = mk(40);
    const r = probeFeatures(tr.X, tr.Y, te.X, te.Y, 8, ['a'], 5, va);
    const vals = RIDGE_LAMBDAS.map((l) => macroAuroc(va.Y, ridgeScores(tr.X, tr.Y, va.X, 8, l)).macro);
    assert.strictEqual(r.linearLambda, RIDGE_LAMBDAS[vals.indexOf(Math.max(...vals))]);
    const all = { X: Float32Array.from([...tr.X, ...va.X]), Y: [[...tr.Y[0], ...va.Y[0]]] };
    const refit = macroAuroc(te.Y, ridgeScores(all.X, all.Y, te.X, 8, r.linearLambda)).macro;
    assert.strictEqual(r.linearMacroAuroc, refit);
    assert.deepStrictEqual([r.nTrain, r.nVal, r.nTest], [30, 40, 40]);
    assert.strictEqual(r.logisticMacroAuroc, undefined, 'the logistic probe is opt-in');
  });

  it('with logistic: C is the LOGISTIC_CS value of best val macro AUROC, refit on train + val; ridge and k-NN unchanged', async () => {
    const { useCpu } = await import('./helpers');
    await useCpu();
    const rng = createRng(5);
    const mk = (n: number) => {
      const d = 8, X = new Float32Array(n * d), Y = [new Array<number>(n).fill(0), new Array<number>(n).fill(0)];
      for (let i = 0; i < n; i++) {
        const y0 = rng.uniform() < 0.5 ? 1 : 0, y1 = rng.uniform() < 0.3 ? 1 : 0;
        Y[0][i] = y0; Y[1][i] = y1;
        X[i * d] = y0 + rng.normal(); X[i * d + 1] = y1 + rng.normal();
        for (let j = 2; j < d; j++) X[i * d + j] = rng.normal();
      }
      return { X, Y };
    };
    const tr = mk(40), va = mk(40), te = mk(50);
    const plain = probeFeatures(tr.X, tr.Y, te.X, te.Y, 8, ['a', 'b'], 5, va);
    const r = probeFeatures(tr.X, tr.Y, te.X, te.Y, 8, ['a', 'b'], 5, va, { logistic: true });
    assert.deepStrictEqual([r.linearMacroAuroc, r.knnMacroAuroc, r.linearLambda], [plain.linearMacroAuroc, plain.knnMacroAuroc, plain.linearLambda]);
    const vals = logisticPath(tr.X, tr.Y, va.X, 8, LOGISTIC_CS).map((f) => macroAuroc(va.Y, f.scores, { layout: 'classes' }).macro);
    assert.strictEqual(r.logisticC, LOGISTIC_CS[vals.indexOf(Math.max(...vals))]);
    const all = { X: Float32Array.from([...tr.X, ...va.X]), Y: tr.Y.map((y, c) => [...y, ...va.Y[c]]) };
    const refit = macroAuroc(te.Y, logisticPath(all.X, all.Y, te.X, 8, [r.logisticC!])[0].scores, { layout: 'classes' });
    assert.strictEqual(r.logisticMacroAuroc, refit.macro);
    assert.deepStrictEqual(r.logisticPerClass, refit.perClass);
    assert.strictEqual(r.logisticConverged, true);
    assert.deepStrictEqual(r.logisticUnconvergedCs, []);
    assert.ok(r.logisticMacroAuroc! > 0.6, `an informative feature per class is read (${r.logisticMacroAuroc})`);
    // Cs whose fit stops short (here: L-BFGS held to 12 iterations, which only the strongest penalties reach) are named
    // and left out of the choice
    const short = probeFeatures(tr.X, tr.Y, te.X, te.Y, 8, ['a', 'b'], 5, va, { logistic: { solver: 'lbfgs', maxIter: 12 } });
    const shortPath = logisticPath(tr.X, tr.Y, va.X, 8, LOGISTIC_CS, { solver: 'lbfgs', maxIter: 12 });
    assert.deepStrictEqual(short.logisticUnconvergedCs, shortPath.filter((f) => !f.converged).map((f) => f.C));
    assert.ok(short.logisticUnconvergedCs!.length > 0 && short.logisticUnconvergedCs!.length < LOGISTIC_CS.length, `${short.logisticUnconvergedCs}`);
    assert.ok(!short.logisticUnconvergedCs!.includes(short.logisticC!));
  });
});

describe('vitProbeFeatures', () => {
  it('returns [N, 2D] (CLS ‖ mean patch), or with pooling \'tokens\' CLS then every patch token, for whole images resized to the input size, without leaking', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const { useCpu } = await import('./helpers');
    const { createViT } = await import('../../lib/models/registry');
    const { vitProbeFeatures } = await import('../../lib/pretrain/probe');
    const { tinyImages } = await import('./tiny');
    const { resizeCrop } = await import('../../lib/pretrain/multi-crop');
    await useCpu();
    const vit = createViT('vit_nano', { dim: 24, depth: 1, heads: 2, mlpHidden: 48 }, 1);
    const imgs = tinyImages(3, 40);
    vitProbeFeatures(vit, imgs.slice(0, 1), 32); // first call builds the ViT's cached pos-embed interpolation
    const before = tf.memory().numTensors;
    const f = vitProbeFeatures(vit, imgs, 32, 2);
    assert.strictEqual(tf.memory().numTensors, before);
    assert.strictEqual(f.length, 3 * 48);
    // the first image alone gives the same features as in a batch
    expectClose(vitProbeFeatures(vit, imgs.slice(0, 1), 32).subarray(0, 48), f.subarray(0, 48), 1e-5);
    // 'tokens': CLS then each of the 4 × 4 patch tokens in grid order, whose mean is the pooled half above
    const t = vitProbeFeatures(vit, imgs, 32, 2, 'tokens');
    assert.strictEqual(tf.memory().numTensors, before);
    assert.strictEqual(t.length, 3 * 24 * 17);
    const x = tf.tensor4d(Float32Array.from(resizeCrop(imgs[1], { top: 0, left: 0, h: 40, w: 40 }, 32), (v) => (v - vit.config.mean[0]) / vit.config.std[0]), [1, 1, 32, 32]);
    const o = vit.forward(x, { training: false });
    expectClose(t.subarray(24 * 17, 24 * 18), o.cls.dataSync(), 1e-5);
    expectClose(t.subarray(24 * 18, 2 * 24 * 17), o.patches.dataSync(), 1e-5);
    const mean = new Float32Array(24);
    for (let k = 0; k < 16; k++) for (let j = 0; j < 24; j++) mean[j] += t[24 * 17 + 24 * (k + 1) + j] / 16;
    expectClose(mean, f.subarray(48 + 24, 96), 1e-5);
    tf.dispose([x, o.cls, o.patches]);
    vit.dispose();
  });
});

describe('probePixels', () => {
  it('scores the chosen labels only: the same as probing those labels\' columns by hand, and names an unknown label', async () => {
    const { loadSynthetic } = await import('../../lib/data/synthetic');
    const { probePixels, labelsOf, pixelFeatures, probeFeatures: probe } = await import('../../lib/pretrain/probe');
    const table = await loadSynthetic({ n: 120, size: 32, seed: 5, splits: [0.5, 0.25, 0.25] } as never);
    const labels = table.labelNames.slice(0, 3);
    const r = await probePixels(table, 16, { labels });
    assert.ok(r.classes.every((c) => labels.includes(c)), `scored ${r.classes.join(', ')}`);
    const load = async (s: string) => { const l = labelsOf(table, [s], labels); return { Y: l.Y, X: pixelFeatures(await Promise.all(l.ids.map((id) => table.loadImage(id))), 16) }; };
    const [tr, va, te] = [await load('train'), await load('val'), await load('test')];
    const byHand = probe(tr.X, tr.Y, te.X, te.Y, 256, labels, 20, va);
    assert.equal(r.linearMacroAuroc, byHand.linearMacroAuroc);
    assert.equal(r.linearLambda, byHand.linearLambda);
    await assert.rejects(probePixels(table, 16, { labels: ['Nodule', 'No such finding'] }), /has no label No such finding/);
  });
});

describe('probeTargets / findingAurocOf / macroAurocOf', () => {
  it("names the first target missed: raw pixels, then random init + 0.10 (the margin inclusive)", () => {
    assert.strictEqual(probeTargets(0.75, 0.65, 0.79), 'below raw pixels');
    assert.strictEqual(probeTargets(0.80, 0.75, 0.79), 'under random init + 0.10');
    assert.strictEqual(probeTargets(0.80, 0.70, 0.80), 'met');
  });

  it('judges the targets only for self-supervised runs: a pretraining config.json, not the supervised baseline', () => {
    const ckpt = path.join(__dirname, '..', '..', 'checkpoints');
    assert.strictEqual(isSelfSupervisedRun(path.join(ckpt, 'vit-nano-synthetic')), true);
    assert.strictEqual(isSelfSupervisedRun(path.join(ckpt, 'supervised-vit_nano-popA')), false);
    assert.strictEqual(isSelfSupervisedRun(path.join(ckpt, 'no-such-run')), false);
  });

  it("names the file when a run's config.json is not JSON or is a pretraining config that fails the schema", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssl-run-'));
    try {
      const file = path.join(dir, 'config.json');
      fs.writeFileSync(file, '{"dino": ');
      assert.throws(() => isSelfSupervisedRun(dir), (e: Error) => e.message.includes(file) && /JSON/.test(e.message));
      fs.writeFileSync(file, JSON.stringify({ dino: { koleoLossWeight: 'heavy' } }));
      assert.throws(() => isSelfSupervisedRun(dir), (e: Error) => e.message.includes(file) && /koleoLossWeight/.test(e.message));
      fs.writeFileSync(file, JSON.stringify({ dino: { koleoLossWeight: 0.1 } }));
      assert.strictEqual(isSelfSupervisedRun(dir), true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads one finding of a probe result, NaN where it was not scored or the result has no per-finding AUROCs', () => {
    const r = { classes: ['Effusion', 'Mass'], linearPerClass: [0.7, 0.8], knnMacroAuroc: 0, linearMacroAuroc: 0.75, linearLambda: 1, nTrain: 1, nVal: 0, nTest: 1 };
    assert.strictEqual(findingAurocOf(r, 'Mass'), 0.8);
    assert.ok(Number.isNaN(findingAurocOf(r, 'Nodule')));
    assert.ok(Number.isNaN(findingAurocOf({ ...r, linearPerClass: undefined }, 'Mass')));
    const both = { ...r, knnPerClass: [0.6, 0.65], logisticPerClass: [0.9, 0.95], logisticMacroAuroc: 0.925 };
    assert.strictEqual(findingAurocOf(both, 'Effusion', 'logistic'), 0.9);
    assert.strictEqual(findingAurocOf(both, 'Mass', 'k-NN'), 0.65);
    assert.ok(Number.isNaN(findingAurocOf(r, 'Mass', 'logistic')));
    assert.strictEqual(macroAurocOf(both, 'logistic'), 0.925);
    assert.strictEqual(macroAurocOf(both, 'linear'), 0.75);
    assert.strictEqual(macroAurocOf(both, 'k-NN'), 0);
    assert.ok(Number.isNaN(macroAurocOf(r, 'logistic')));
    assert.deepStrictEqual(readoutsOf([both, both]), ['logistic', 'linear', 'k-NN']);
    assert.deepStrictEqual(readoutsOf([both, r]), ['linear', 'k-NN'], 'logistic only where every result has it');
  });
});

describe('probeCheckpoint progress', () => {
  it('shows its four stages in order, then done, on the stream its progress option names', async function () {
    this.timeout(300000);
    const dir = path.join(__dirname, '..', '..', 'checkpoints', 'vit-nano-synthetic');
    const lines: string[] = [];
    const stream = { write: (s: string) => lines.push(s.trim()) };
    let t = 0;
    const r = await probeCheckpoint(loadPretrainConfig(path.join(dir, 'config.json')), path.join(dir, 'model.safetensors'),
      { n: 40, minTestPositives: 1, logistic: false, progress: { mode: 'lines', stream, now: () => (t += 1000) } });
    // the lines mode prints the last count twice (the tick, then done's closing line with the total time)
    assert.deepStrictEqual(lines.map((l) => l.replace(/^probe vit_nano (\d)\/4 \d+% (?:\S+ (?:s\/it|it\/s) )?(?:(?:eta|in) \S+ )?/, '$1 ')), [
      '0 40 phantoms (seed 1000)', '1 pretrained encoder', '2 random init', '3 raw pixels (4096 features)', '4 done', '4 done',
    ]);
    assert.match(lines[lines.length - 1], / in \S+ done$/);
    assert.strictEqual(r.data.n, 40);
    assert.ok(r.pretrained.classes.length > 0 && Number.isFinite(r.pretrained.linearMacroAuroc));
  });
});
