/**
 * Frozen-feature probes that show pretraining learned something: features = [CLS, mean of patch tokens] of a frozen
 * ViT (the DINOv2 linear-eval input, Oquab et al. 2023 §7), scored on held-out multi-label findings by macro AUROC.
 *  - k-NN (Wu et al. 2018 / DINO §4.2 weighted k-NN): cosine similarity on L2-normalised features, k = 20 neighbours
 *    weighted exp(sim / 0.07); a class's score is the weighted vote of the neighbours' labels.
 *  - linear: ridge regression on standardised features, one output per class (closed form), scores = predictions.
 * Unknown (NaN) labels are ignored both as neighbours' votes and in the AUROC (lib/stats macroAuroc).
 */
import * as tf from '@tensorflow/tfjs-core';
import { FINDING_NAMES, loadSynthetic } from '../data/synthetic';
import { GreyImage, SampleTable } from '../data/types';
import { createRng } from '../engine/rng';
import { createViT } from '../models/registry';
import { ViT } from '../models/vit';
import { loadViT } from '../models/weights';
import { PretrainConfig } from './config';
import { DEFAULT_POPULATIONS } from './data';
import { macroAuroc } from '../stats/macro';
import { resizeCrop } from './multi-crop';

/** [N, 2D] features of images resized to `inputSize` (whole image, box-filtered), batched. */
export function extractFeatures(vit: ViT, images: GreyImage[], inputSize: number, batch = 16): Float32Array {
  const c = vit.config;
  const D = c.dim;
  const out = new Float32Array(images.length * 2 * D);
  for (let s = 0; s < images.length; s += batch) {
    const n = Math.min(batch, images.length - s);
    const px = new Float32Array(n * inputSize * inputSize);
    for (let i = 0; i < n; i++) {
      const img = images[s + i];
      const r = resizeCrop(img, { top: 0, left: 0, h: img.height, w: img.width }, inputSize);
      for (let j = 0; j < r.length; j++) px[i * r.length + j] = (r[j] - c.mean[0]) / c.std[0];
    }
    const x = tf.tensor4d(px, [n, 1, inputSize, inputSize]);
    const o = vit.forward(x, { training: false });
    const feats = tf.tidy(() => tf.concat([o.cls, tf.mean(o.patches, 1)], 1));
    out.set(feats.dataSync() as Float32Array, s * 2 * D);
    tf.dispose([x, o.cls, o.patches, feats]);
  }
  return out;
}

function l2rows(x: Float32Array, n: number, d: number): Float64Array {
  const y = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
    const r = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < d; j++) y[i * d + j] = x[i * d + j] * r;
  }
  return y;
}

/**
 * Weighted k-NN scores [class][test sample] from train features/labels (labels[c][i] 1/0/NaN).
 */
export function knnScores(trainX: Float32Array, trainY: number[][], testX: Float32Array, d: number, k = 20, temperature = 0.07): number[][] {
  const nTr = trainX.length / d, nTe = testX.length / d;
  const a = l2rows(trainX, nTr, d), b = l2rows(testX, nTe, d);
  const C = trainY.length;
  const scores = Array.from({ length: C }, () => new Array<number>(nTe).fill(0));
  const sims = new Float64Array(nTr);
  const order = Array.from({ length: nTr }, (_, i) => i);
  for (let t = 0; t < nTe; t++) {
    for (let i = 0; i < nTr; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += a[i * d + j] * b[t * d + j];
      sims[i] = s;
    }
    order.sort((p, q) => sims[q] - sims[p] || p - q);
    const kk = Math.min(k, nTr);
    for (let c = 0; c < C; c++) {
      let num = 0, den = 0;
      for (let r = 0; r < kk; r++) {
        const i = order[r];
        const y = trainY[c][i];
        if (Number.isNaN(y)) continue;
        const w = Math.exp(sims[i] / temperature);
        num += w * y;
        den += w;
      }
      scores[c][t] = den > 0 ? num / den : 0;
    }
  }
  return scores;
}

/** Solves A x = b for symmetric positive definite A (Cholesky), in place on copies. */
function choleskySolve(A: Float64Array, n: number, B: Float64Array, m: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = A[i * n + j];
    for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
    L[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * n + j];
  }
  const X = new Float64Array(n * m);
  for (let c = 0; c < m; c++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) { let s = B[i * m + c]; for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k]; y[i] = s / L[i * n + i]; }
    for (let i = n - 1; i >= 0; i--) { let s = y[i]; for (let k = i + 1; k < n; k++) s -= L[k * n + i] * X[k * m + c]; X[i * m + c] = s / L[i * n + i]; }
  }
  return X;
}

/** Ridge linear probe scores [class][test]: standardise with train statistics, W = (XᵀX + λ·n·I)⁻¹ XᵀY (NaN labels → class mean). */
export function ridgeScores(trainX: Float32Array, trainY: number[][], testX: Float32Array, d: number, lambda = 1e-2): number[][] {
  const nTr = trainX.length / d, nTe = testX.length / d, C = trainY.length;
  const mu = new Float64Array(d), sd = new Float64Array(d);
  for (let i = 0; i < nTr; i++) for (let j = 0; j < d; j++) mu[j] += trainX[i * d + j] / nTr;
  for (let i = 0; i < nTr; i++) for (let j = 0; j < d; j++) sd[j] += (trainX[i * d + j] - mu[j]) ** 2 / nTr;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  const p = d + 1; // + intercept column
  const row = (x: Float32Array, i: number, out: Float64Array) => { for (let j = 0; j < d; j++) out[j] = (x[i * d + j] - mu[j]) / sd[j]; out[d] = 1; };
  const A = new Float64Array(p * p), B = new Float64Array(p * C), r = new Float64Array(p);
  const means = trainY.map((ys) => { const k = ys.filter((v) => !Number.isNaN(v)); return k.length ? k.reduce((a, b) => a + b, 0) / k.length : 0; });
  for (let i = 0; i < nTr; i++) {
    row(trainX, i, r);
    for (let a = 0; a < p; a++) {
      for (let b = 0; b <= a; b++) A[a * p + b] += r[a] * r[b];
      for (let c = 0; c < C; c++) B[a * C + c] += r[a] * (Number.isNaN(trainY[c][i]) ? means[c] : trainY[c][i]);
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) A[b * p + a] = A[a * p + b];
  for (let a = 0; a < d; a++) A[a * p + a] += lambda * nTr;
  const W = choleskySolve(A, p, B, C);
  const scores = Array.from({ length: C }, () => new Array<number>(nTe).fill(0));
  for (let t = 0; t < nTe; t++) {
    row(testX, t, r);
    for (let c = 0; c < C; c++) { let s = 0; for (let a = 0; a < p; a++) s += r[a] * W[a * C + c]; scores[c][t] = s; }
  }
  return scores;
}

export interface ProbeResult {
  knnMacroAuroc: number;
  linearMacroAuroc: number;
  /** Classes scored (both labels present in the test split). */
  classes: string[];
  nTrain: number;
  nTest: number;
}

/** Both probes from precomputed features. `trainY`/`testY` are [class][sample]. */
export function probeFeatures(trainX: Float32Array, trainY: number[][], testX: Float32Array, testY: number[][], d: number, labelNames: string[], k = 20): ProbeResult {
  const knn = macroAuroc(testY, knnScores(trainX, trainY, testX, d, k));
  const lin = macroAuroc(testY, ridgeScores(trainX, trainY, testX, d));
  return {
    knnMacroAuroc: knn.macro, linearMacroAuroc: lin.macro,
    classes: labelNames.filter((_, c) => !knn.skipped.includes(c)),
    nTrain: trainX.length / d, nTest: testX.length / d,
  };
}

/** Labels [class][row] of the rows whose `split` is in `splits`, and their ids. */
export function labelsOf(t: SampleTable, splits: string[]): { ids: string[]; Y: number[][] } {
  const rows = t.table.objects() as Record<string, unknown>[];
  const keep = rows.filter((r) => splits.includes(r.split as string));
  return {
    ids: keep.map((r) => r.id as string),
    Y: t.labelNames.map((name) => keep.map((r) => { const v = r[name]; return v === null || v === undefined ? NaN : Number(v); })),
  };
}

/** Probes a frozen ViT on a labelled SampleTable: train on `train`(+`val`) rows, score on `test` rows. */
export async function probeViT(vit: ViT, table: SampleTable, opts: { inputSize?: number; k?: number } = {}): Promise<ProbeResult> {
  const size = opts.inputSize ?? vit.config.imgSize;
  const tr = labelsOf(table, ['train', 'val']);
  const te = labelsOf(table, ['test']);
  const load = async (ids: string[]) => Promise.all(ids.map((id) => table.loadImage(id)));
  const d = 2 * vit.config.dim;
  const trainX = extractFeatures(vit, await load(tr.ids), size);
  const testX = extractFeatures(vit, await load(te.ids), size);
  return probeFeatures(trainX, tr.Y, testX, te.Y, d, table.labelNames, opts.k);
}

export interface CheckpointProbe {
  model: string;
  arch: string;
  inputSize: number;
  pretrained: ProbeResult;
  randomInit: ProbeResult;
  data: { n: number; size: number; seed: number; populations: string[]; labels: string[] };
}

/**
 * Pretrained teacher vs the same architecture at its random init (the student's starting weights), probed on a fresh
 * labelled synthetic set (a seed the pretraining never saw; the config's population mix unless `populations` is given;
 * 60 % train / 40 % test), findings with
 * at least `minTestPositives` (10) positive test images.
 */
export async function probeCheckpoint(config: PretrainConfig, modelPath: string, opts: { n?: number; seed?: number; k?: number; minTestPositives?: number; populations?: string[] } = {}): Promise<CheckpointProbe> {
  const n = opts.n ?? 1500;
  const minPos = opts.minTestPositives ?? 10;
  const seed = opts.seed ?? config.data.seed + 1000;
  const populations = (opts.populations?.length ? opts.populations : config.data.populations.length ? config.data.populations : DEFAULT_POPULATIONS) as [string, ...string[]];
  const full = await loadSynthetic({ variant: 'cxr', n, size: config.data.imageSize, seed, populations, splits: [0.6, 0, 0.4], name: 'synthetic-cxr-probe' });
  // Findings with enough test positives for a stable AUROC (the rarest ones have 1–3 at this size: pure noise).
  const test = labelsOf(full, ['test']);
  const findings = full.labelNames.filter((l, c) => (FINDING_NAMES as readonly string[]).includes(l)
    && test.Y[c].filter((v) => v === 1).length >= minPos);
  const table: SampleTable = { ...full, labelNames: findings };
  const size = config.crops.globalSize;
  const trained = loadViT(modelPath);
  const random = createViT(config.model.arch, { ...config.model.overrides }, createRng(config.seed).fork('init').fork('backbone').int(2 ** 31));
  try {
    return {
      model: modelPath, arch: config.model.arch, inputSize: size,
      pretrained: await probeViT(trained, table, { inputSize: size, k: opts.k }),
      randomInit: await probeViT(random, table, { inputSize: size, k: opts.k }),
      data: { n, size: config.data.imageSize, seed, populations, labels: findings },
    };
  } finally {
    trained.dispose();
    random.dispose();
  }
}
