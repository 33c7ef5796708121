/**
 * Frozen-feature probes that show pretraining learned something: features = [CLS, mean of patch tokens] of a frozen
 * ViT (the DINOv2 linear-eval input, Oquab et al. 2023 §7), scored on held-out multi-label findings by macro AUROC.
 *  - k-NN (Wu et al. 2018 / DINO §4.2 weighted k-NN): cosine similarity on L2-normalised features, k = 20 neighbours
 *    weighted exp(sim / 0.07); a class's score is the weighted vote of the neighbours' labels.
 *  - linear: ridge regression on standardised features, one output per class (closed form), scores = predictions.
 *  - logistic (the probe the targets are judged on; opt-in, it costs minutes on raw pixels): L2-regularised logistic
 *    regression per class on the same standardised features, C chosen on val (lib/pretrain/logistic).
 * Unknown (NaN) labels are ignored both as neighbours' votes and in the AUROC (lib/stats macroAuroc).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { FINDING_NAMES, loadSynthetic } from '../data/synthetic';
import { GreyImage, SampleTable } from '../data/types';
import { progress, ProgressOptions } from '../engine/progress';
import { createRng } from '../engine/rng';
import { clsMeanPatchTensor } from '../features/pooling';
import { createViT } from '../models/registry';
import { ViT } from '../models/vit';
import { loadViT } from '../models/weights';
import { loadPretrainConfig, PretrainConfig } from './config';
import { DEFAULT_POPULATIONS } from './data';
import { standardiseColumns } from '../stats/columns';
import { choleskySolve } from '../stats/eigen';
import { macroAuroc } from '../stats/macro';
import { resizeCrop } from './multi-crop';
import { LOGISTIC_CS, logisticPath, LogisticOptions } from './logistic';

/**
 * What a probe reads from the frozen tokens: 'cls-mean' = CLS ⊕ mean patch token [N, 2D] (the paper's linear-eval input
 * and issue 11's fixed probe); 'tokens' = CLS ⊕ every patch token in grid order [N, (T + 1)·D], which keeps position —
 * a diagnosis of whether the encoder carries a finding that the mean dilutes, not the probe the targets are judged on.
 */
export type ProbePooling = 'cls-mean' | 'tokens';

/**
 * Probe features of a tfjs ViT on images resized to `inputSize` (whole image, box-filtered), batched — the pretraining
 * probe's own forward pass, not the cached FeatureSet path of lib/features/extract. [N, 2D] (CLS ⊕ mean patch,
 * lib/features/pooling) or, with pooling 'tokens', [N, (T + 1)·D].
 */
export function vitProbeFeatures(vit: ViT, images: GreyImage[], inputSize: number, batch = 16, pooling: ProbePooling = 'cls-mean'): Float32Array {
  const c = vit.config;
  const d = probeDim(vit, inputSize, pooling);
  const out = new Float32Array(images.length * d);
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
    const feats = pooling === 'tokens' ? tf.tidy(() => tf.concat([o.cls, tf.reshape(o.patches, [n, -1])], 1)) : clsMeanPatchTensor(o.cls, o.patches);
    out.set(feats.dataSync() as Float32Array, s * d);
    tf.dispose([x, o.cls, o.patches, feats]);
  }
  return out;
}

/** Width of vitProbeFeatures' rows. */
export function probeDim(vit: ViT, inputSize: number, pooling: ProbePooling = 'cls-mean'): number {
  const [gh, gw] = vit.grid(inputSize, inputSize);
  return vit.config.dim * (pooling === 'tokens' ? gh * gw + 1 : 2);
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

/** Regularisation strengths λ (α = λ·n) the linear probe chooses from on the val rows. */
export const RIDGE_LAMBDAS: readonly number[] = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

/** Class means of the known labels: an unknown (NaN) label is fitted as its class mean, i.e. it adds no signal. */
function knownMeans(Y: number[][]): number[] {
  return Y.map((ys) => { const k = ys.filter((v) => !Number.isNaN(v)); return k.length ? k.reduce((a, b) => a + b, 0) / k.length : 0; });
}

/**
 * Ridge linear probe scores [class][test]: standardise with train statistics, unpenalised intercept,
 * W = (XᵀX + λ·n·I)⁻¹ XᵀY (scikit-learn Ridge(alpha = λ·n)); NaN labels → class mean. With more features than train rows
 * (raw pixels) the same solution comes from the n × n dual, W = Xᵀ(XXᵀ + λ·n·I)⁻¹(Y − ȳ), which is what makes a
 * 4096-pixel probe cost seconds rather than a 4096² factorisation.
 */
export function ridgeScores(trainX: Float32Array, trainY: number[][], testX: Float32Array, d: number, lambda = 1e-2): number[][] {
  const nTr = trainX.length / d;
  return d + 1 > nTr ? ridgeDual(trainX, trainY, testX, d, lambda) : ridgePrimal(trainX, trainY, testX, d, lambda);
}

/** The (d+1) × (d+1) normal equations; exported so a test can hold it against the dual on the same data. */
export function ridgePrimal(trainX: Float32Array, trainY: number[][], testX: Float32Array, d: number, lambda: number): number[][] {
  const nTr = trainX.length / d, nTe = testX.length / d, C = trainY.length;
  const [Ztr, Zte] = standardiseColumns(trainX, [trainX, testX], d);
  const p = d + 1; // + intercept column
  const row = (z: Float64Array, i: number, out: Float64Array) => { for (let j = 0; j < d; j++) out[j] = z[i * d + j]; out[d] = 1; };
  const A = new Float64Array(p * p), B = new Float64Array(p * C), r = new Float64Array(p);
  const means = knownMeans(trainY);
  for (let i = 0; i < nTr; i++) {
    row(Ztr, i, r);
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
    row(Zte, t, r);
    for (let c = 0; c < C; c++) { let s = 0; for (let a = 0; a < p; a++) s += r[a] * W[a * C + c]; scores[c][t] = s; }
  }
  return scores;
}

/** The n × n dual of ridgePrimal (same scores): standardised columns have mean 0, so the intercept is ȳ. */
export function ridgeDual(trainX: Float32Array, trainY: number[][], testX: Float32Array, d: number, lambda: number): number[][] {
  const nTr = trainX.length / d, nTe = testX.length / d, C = trainY.length;
  const [Ztr, Zte] = standardiseColumns(trainX, [trainX, testX], d);
  const G = new Float64Array(nTr * nTr);
  for (let i = 0; i < nTr; i++) for (let k = 0; k <= i; k++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += Ztr[i * d + j] * Ztr[k * d + j];
    G[i * nTr + k] = s;
    G[k * nTr + i] = s;
  }
  for (let i = 0; i < nTr; i++) G[i * nTr + i] += lambda * nTr;
  const means = knownMeans(trainY);
  const Yc = new Float64Array(nTr * C);
  for (let i = 0; i < nTr; i++) for (let c = 0; c < C; c++) Yc[i * C + c] = Number.isNaN(trainY[c][i]) ? 0 : trainY[c][i] - means[c];
  const alpha = choleskySolve(G, nTr, Yc, C);
  const scores = Array.from({ length: C }, (_, c) => new Array<number>(nTe).fill(means[c]));
  const k = new Float64Array(nTr);
  for (let t = 0; t < nTe; t++) {
    for (let i = 0; i < nTr; i++) { let s = 0; for (let j = 0; j < d; j++) s += Zte[t * d + j] * Ztr[i * d + j]; k[i] = s; }
    for (let c = 0; c < C; c++) { let s = 0; for (let i = 0; i < nTr; i++) s += k[i] * alpha[i * C + c]; scores[c][t] += s; }
  }
  return scores;
}

export interface ProbeResult {
  knnMacroAuroc: number;
  linearMacroAuroc: number;
  /** λ of the linear probe: chosen on the val rows when there are any, else the fixed default 1e-2. */
  linearLambda: number;
  /** Classes scored (both labels present in the test split). */
  classes: string[];
  /**
   * AUROC per scored class, aligned with `classes` (the macro's terms): where a frozen encoder trails raw pixels, these
   * say which findings it lost (docs/pretrain.md, "Which findings SSL loses"). Absent in probe.json files written
   * before 2026-12-06.
   */
  linearPerClass?: number[];
  knnPerClass?: number[];
  /**
   * Logistic-regression probe (the read-out the targets are judged on), where it was run (`probeFeatures(..., { logistic:
   * true })`; `raydino pretrain --probe` always): macro AUROC, its C (chosen on val from LOGISTIC_CS, refit on train +
   * val, among the Cs whose fit converged), per class aligned with `classes`, and whether the final fit reached the
   * solver's tolerance.
   */
  logisticMacroAuroc?: number;
  logisticC?: number;
  logisticPerClass?: number[];
  logisticConverged?: boolean;
  /** Cs of LOGISTIC_CS whose fit on the train rows stopped short of the solver's tolerance: left out of the choice. */
  logisticUnconvergedCs?: number[];
  nTrain: number;
  nVal: number;
  nTest: number;
}

/** The read-outs of a ProbeResult: ridge ('linear'), logistic regression (the targets' probe, where it was run), k-NN. */
export type ProbeReadout = 'logistic' | 'linear' | 'k-NN';

/** The read-outs every result of a probe carries, the targets' logistic probe first where all of them have it. */
export function readoutsOf(results: readonly ProbeResult[]): ProbeReadout[] {
  return results.every((r) => r.logisticMacroAuroc !== undefined) ? ['logistic', 'linear', 'k-NN'] : ['linear', 'k-NN'];
}

/** One read-out's macro AUROC; NaN where that read-out was not run (a probe without the logistic fit). */
export function macroAurocOf(r: ProbeResult, probe: ProbeReadout): number {
  const v = probe === 'linear' ? r.linearMacroAuroc : probe === 'k-NN' ? r.knnMacroAuroc : r.logisticMacroAuroc;
  return v ?? NaN;
}

/** One read-out's AUROC of one finding; NaN where it did not score that finding, was not run, or predates per-finding AUROCs. */
export function findingAurocOf(r: ProbeResult, finding: string, probe: ProbeReadout = 'linear'): number {
  const i = r.classes.indexOf(finding);
  const per = probe === 'linear' ? r.linearPerClass : probe === 'k-NN' ? r.knnPerClass : r.logisticPerClass;
  return i < 0 || !per ? NaN : per[i];
}

/**
 * Issue 11's targets for a frozen encoder's probe: at least raw pixels at the encoder's input, and random init of the
 * same architecture + 0.10. 'met', else the first one missed.
 */
export function probeTargets(ssl: number, randomInit: number, rawPixels: number): 'met' | 'below raw pixels' | 'under random init + 0.10' {
  if (ssl < rawPixels) return 'below raw pixels';
  return ssl >= randomInit + 0.1 ? 'met' : 'under random init + 0.10';
}

/**
 * Whether `dir` holds a self-supervised run — its config.json is a pretraining config — so that issue 11's targets,
 * which are SSL's, are judged only there (a label-supervised backbone is probed the same way, as a competitor).
 */
export function isSelfSupervisedRun(dir: string): boolean {
  const file = path.join(dir, 'config.json');
  if (!fs.existsSync(file)) return false;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  // The SSL-only sections mark a pretraining config; one that has them but fails the schema is a corrupt SSL config,
  // and its schema error is worth more than a quiet "not judged".
  const sslSections = ['dino', 'ibot', 'teacher'];
  if (raw === null || typeof raw !== 'object' || !sslSections.some((k) => k in (raw as object))) return false;
  loadPretrainConfig(file);
  return true;
}

/** Rows [X; Y] of two labelled sets stacked. */
function stack(a: { X: Float32Array; Y: number[][] }, b: { X: Float32Array; Y: number[][] }): { X: Float32Array; Y: number[][] } {
  const X = new Float32Array(a.X.length + b.X.length);
  X.set(a.X);
  X.set(b.X, a.X.length);
  return { X, Y: a.Y.map((ys, c) => [...ys, ...b.Y[c]]) };
}

/**
 * The probes from precomputed features (`trainY`/`testY` are [class][sample]). With `val` rows the linear probe's λ is
 * the RIDGE_LAMBDAS value of best val macro AUROC (fit on train), then refit on train + val; the k-NN memory is train + val.
 * `opts.logistic` adds the logistic-regression probe (true, or the solver's options), its C chosen the same way from
 * LOGISTIC_CS among the Cs whose fit converged.
 */
export function probeFeatures(trainX: Float32Array, trainY: number[][], testX: Float32Array, testY: number[][], d: number, labelNames: string[], k = 20, val?: { X: Float32Array; Y: number[][] }, opts: { logistic?: boolean | LogisticOptions } = {}): ProbeResult {
  const hasVal = !!val && val.X.length > 0;
  let lambda = 1e-2;
  if (hasVal) {
    let best = -Infinity;
    for (const l of RIDGE_LAMBDAS) {
      const v = macroAuroc(val!.Y, ridgeScores(trainX, trainY, val!.X, d, l), { layout: 'classes' }).macro;
      if (v > best) { best = v; lambda = l; }
    }
  }
  const fit = hasVal ? stack({ X: trainX, Y: trainY }, val!) : { X: trainX, Y: trainY };
  const knn = macroAuroc(testY, knnScores(fit.X, fit.Y, testX, d, k), { layout: 'classes' });
  const lin = macroAuroc(testY, ridgeScores(fit.X, fit.Y, testX, d, lambda), { layout: 'classes' });
  const scored = (c: number) => !knn.skipped.includes(c);
  const result: ProbeResult = {
    knnMacroAuroc: knn.macro, linearMacroAuroc: lin.macro, linearLambda: lambda,
    classes: labelNames.filter((_, c) => scored(c)),
    linearPerClass: lin.perClass.filter((_, c) => scored(c)), knnPerClass: knn.perClass.filter((_, c) => scored(c)),
    nTrain: trainX.length / d, nVal: val ? val.X.length / d : 0, nTest: testX.length / d,
  };
  if (!opts.logistic) return result;
  const solver = opts.logistic === true ? {} : opts.logistic;
  let C = 1, unconverged: number[] = [];
  if (hasVal) {
    // a fit stopped short of its optimum is not the estimator at that C (raw pixels at large C: nearly separable, the
    // weights keep growing): such Cs are left out of the choice and named in the result
    const path = logisticPath(trainX, trainY, val!.X, d, LOGISTIC_CS, solver);
    const converged = path.filter((f) => f.converged);
    unconverged = path.filter((f) => !f.converged).map((f) => f.C);
    const candidates = converged.length ? converged : path;
    let best = -Infinity;
    for (const f of candidates) {
      const v = macroAuroc(val!.Y, f.scores, { layout: 'classes' }).macro;
      if (v > best) { best = v; C = f.C; }
    }
  }
  const final = logisticPath(fit.X, fit.Y, testX, d, [C], solver)[0];
  const logit = macroAuroc(testY, final.scores, { layout: 'classes' });
  return {
    ...result, logisticMacroAuroc: logit.macro, logisticC: C, logisticPerClass: logit.perClass.filter((_, c) => scored(c)),
    logisticConverged: final.converged, logisticUnconvergedCs: unconverged,
  };
}

/** Labels [class][row] of the rows whose `split` is in `splits`, and their ids. */
export function labelsOf(t: SampleTable, splits: string[], labels: readonly string[] = t.labelNames): { ids: string[]; Y: number[][] } {
  const unknown = labels.filter((l) => !t.labelNames.includes(l));
  if (unknown.length) throw new Error(`probe: ${t.dataset} has no label ${unknown.join(', ')} (labels: ${t.labelNames.join(', ')})`);
  const rows = t.table.objects() as Record<string, unknown>[];
  const keep = rows.filter((r) => splits.includes(r.split as string));
  return {
    ids: keep.map((r) => r.id as string),
    Y: labels.map((name) => keep.map((r) => { const v = r[name]; return v === null || v === undefined ? NaN : Number(v); })),
  };
}

/** [N, S²] raw pixels of whole images resized to `inputSize` (the floor a frozen encoder must beat at its own input). */
export function pixelFeatures(images: GreyImage[], inputSize: number): Float32Array {
  const out = new Float32Array(images.length * inputSize * inputSize);
  images.forEach((img, i) => out.set(resizeCrop(img, { top: 0, left: 0, h: img.height, w: img.width }, inputSize), i * inputSize * inputSize));
  return out;
}

type Featuriser = { d: number; features(images: GreyImage[]): Float32Array };

/**
 * Probes one featuriser on a labelled SampleTable: fit on `train`, λ chosen on `val`, scored on `test` rows, over `labels`
 * (default every label of the table).
 */
async function probeTable(f: Featuriser, table: SampleTable, k?: number, labels: readonly string[] = table.labelNames, logistic = false): Promise<ProbeResult> {
  const load = async (ids: string[]) => Promise.all(ids.map((id) => table.loadImage(id)));
  const [tr, va, te] = (['train', 'val', 'test'] as const).map((s) => labelsOf(table, [s], labels));
  const [trX, vaX, teX] = [await f.features(await load(tr.ids)), await f.features(await load(va.ids)), await f.features(await load(te.ids))];
  return probeFeatures(trX, tr.Y, teX, te.Y, f.d, [...labels], k, { X: vaX, Y: va.Y }, { logistic });
}

/** Probes a frozen ViT (CLS ‖ mean patch at `inputSize`, or `pooling`) on a labelled SampleTable: train / val (λ) / test rows. */
export async function probeViT(vit: ViT, table: SampleTable, opts: { inputSize?: number; k?: number; pooling?: ProbePooling; logistic?: boolean } = {}): Promise<ProbeResult> {
  const size = opts.inputSize ?? vit.config.imgSize;
  return probeTable({ d: probeDim(vit, size, opts.pooling), features: (imgs) => vitProbeFeatures(vit, imgs, size, 16, opts.pooling) }, table, opts.k, undefined, opts.logistic);
}

/** The same probes on raw pixels resized to `inputSize`. */
export async function probePixels(table: SampleTable, inputSize: number, opts: { k?: number; labels?: readonly string[]; logistic?: boolean } = {}): Promise<ProbeResult> {
  return probeTable({ d: inputSize * inputSize, features: (imgs) => pixelFeatures(imgs, inputSize) }, table, opts.k, opts.labels, opts.logistic);
}

export interface CheckpointProbe {
  model: string;
  arch: string;
  inputSize: number;
  /** What the encoders' probes read (absent in files written before 2026-12-06: 'cls-mean'). Raw pixels are pixels either way. */
  pooling?: ProbePooling;
  pretrained: ProbeResult;
  randomInit: ProbeResult;
  /** The same probes on the images' pixels at the encoder's input size. */
  rawPixels: ProbeResult;
  data: { n: number; size: number; seed: number; populations: string[]; splits: number[]; labels: string[] };
}

/**
 * Pretrained teacher vs the same architecture at its random init (the student's starting weights) vs raw pixels, probed
 * on a fresh labelled synthetic set (a seed the pretraining never saw; the config's population mix unless
 * `populations` is given; 60 % train / 20 % val / 20 % test), findings with at least `minTestPositives` (10) positive
 * test images. Shows its four stages (phantoms, pretrained, random init, raw pixels) as progress: minutes each on 2 cores
 * at the default n, silent otherwise; `progress` sets where (`{ mode: 'silent' }` for none).
 */
export async function probeCheckpoint(config: PretrainConfig, modelPath: string, opts: { n?: number; seed?: number; k?: number; minTestPositives?: number; populations?: string[]; pooling?: ProbePooling; logistic?: boolean; progress?: Pick<ProgressOptions, 'mode' | 'stream' | 'now'> } = {}): Promise<CheckpointProbe> {
  const n = opts.n ?? 3000;
  const minPos = opts.minTestPositives ?? 10;
  const seed = opts.seed ?? config.data.seed + 1000;
  const splits: [number, number, number] = [0.6, 0.2, 0.2];
  const populations = (opts.populations?.length ? opts.populations : config.data.populations.length ? config.data.populations : DEFAULT_POPULATIONS) as [string, ...string[]];
  const bar = progress({ total: 4, label: `probe ${config.model.arch}`, ...opts.progress });
  bar.tick(0, `${n} phantoms (seed ${seed})`);
  const full = await loadSynthetic({ variant: 'cxr', n, size: config.data.imageSize, seed, populations, splits, name: 'synthetic-cxr-probe' });
  // Findings with enough test positives for a stable AUROC (the rarest ones have 1–3 at this size: pure noise).
  const test = labelsOf(full, ['test']);
  const findings = full.labelNames.filter((l, c) => (FINDING_NAMES as readonly string[]).includes(l)
    && test.Y[c].filter((v) => v === 1).length >= minPos);
  const table: SampleTable = { ...full, labelNames: findings };
  const size = config.crops.globalSize;
  // the issue's logistic probe on the targets' pooled features; the position-keeping diagnosis (6,240 features) keeps ridge
  const logistic = opts.logistic ?? (opts.pooling ?? 'cls-mean') === 'cls-mean';
  const trained = loadViT(modelPath);
  const random = createViT(config.model.arch, { ...config.model.overrides }, createRng(config.seed).fork('init').fork('backbone').int(2 ** 31));
  try {
    bar.tick(1, 'pretrained encoder');
    const pretrained = await probeViT(trained, table, { inputSize: size, k: opts.k, pooling: opts.pooling, logistic });
    bar.tick(1, 'random init');
    const randomInit = await probeViT(random, table, { inputSize: size, k: opts.k, pooling: opts.pooling, logistic });
    bar.tick(1, `raw pixels (${size * size} features)`);
    const rawPixels = await probePixels(table, size, { k: opts.k, logistic });
    bar.tick(1, 'done');
    bar.done();
    return {
      model: modelPath, arch: config.model.arch, inputSize: size, pooling: opts.pooling ?? 'cls-mean',
      pretrained, randomInit, rawPixels,
      data: { n, size: config.data.imageSize, seed, populations, splits, labels: findings },
    };
  } finally {
    trained.dispose();
    random.dispose();
  }
}
