/**
 * Frozen-feature probes of encoders (lib/pretrain/probe: weighted k-NN and ridge, macro AUROC on held-out synthetic
 * findings): every encoder of a comparison, the intermediate weights an SSL run kept, and the probe-vs-step lines
 * against the random init of the same architecture (RayDINO notebook 01; DINOv2's linear / k-NN evaluation).
 */
import { poolFeatureSet } from '../features/pooling';
import type { Profile } from '../config/profiles';
import type { SampleTable } from '../data/types';
import { FINDING_NAMES } from '../data/synthetic';
import type { Encoder } from '../features/encoder';
import { extractFeatures } from '../features/extract';
import type { FeatureSet } from '../features/feature-set';
import { selectIds } from '../features/feature-set';
import { openEncoder } from '../features/open-encoder';
import { labelsOf, macroAurocOf, probeFeatures, ProbeResult } from '../pretrain/probe';
import { intermediateCheckpoints, trainedSteps } from '../pretrain/run-log';

/** An encoder entry to probe (lib/session SessionEncoder has these fields). */
export interface ProbedEncoder { name: string; spec: string; kind: string; arch?: string }

/** What probeEncoders needs of a notebook session (lib/session Session has these): the profile, the feature cache, the encoders. */
export interface ProbeSession {
  profile: Pick<Profile, 'encoder' | 'data'>;
  cacheDir: string;
  datasetKey(id: string, generator?: Record<string, unknown>): string;
  encoder(e: ProbedEncoder): Promise<Encoder>;
}

/** [N, 2D] probe features: CLS ‖ mean of the patch tokens (the DINOv2 linear-eval input, as lib/pretrain/probe). */
export function probeInput(fs: FeatureSet): Float32Array {
  return poolFeatureSet(fs, { sum: 'float32', withoutPatches: 'zeros' });
}

/** Findings (lib/data/synthetic FINDING_NAMES) with at least `minPositives` positive test rows: a stable AUROC needs them. */
export function probeLabels(samples: SampleTable, minPositives = 10): string[] {
  const te = labelsOf(samples, ['test']);
  return samples.labelNames.filter((l, c) => (FINDING_NAMES as readonly string[]).includes(l) && te.Y[c].filter((v) => v === 1).length >= minPositives);
}

/**
 * k-NN and ridge probes (lib/pretrain/probe `probeFeatures`) on frozen features: fit on the train rows, the linear
 * probe's λ chosen on the val rows (then refit on train + val), score the test rows, macro AUROC over `labels`.
 */
export function probeFeatureSets(samples: SampleTable, train: FeatureSet[], test: FeatureSet, labels: string[], k = 20): ProbeResult {
  if (!labels.length) throw new Error(`probeFeatureSets: no labels to probe on ${samples.dataset}`);
  const sub: SampleTable = { ...samples, labelNames: labels };
  const trIds = train.flatMap((f) => f.ids);
  const split = new Map<string, { split: 'train' | 'val'; i: number }>();
  for (const s of ['train', 'val'] as const) labelsOf(sub, [s]).ids.forEach((id, i) => split.set(id, { split: s, i }));
  const Ys = { train: labelsOf(sub, ['train']).Y, val: labelsOf(sub, ['val']).Y };
  const X = concat(train.map(probeInput));
  const d = 2 * test.dim;
  const parts = { train: { rows: [] as number[], Y: labels.map(() => [] as number[]) }, val: { rows: [] as number[], Y: labels.map(() => [] as number[]) } };
  trIds.forEach((id, r) => {
    const at = split.get(id);
    if (!at) throw new Error(`probeFeatureSets: sample ${id} of the train features is not a train/val row of ${samples.dataset}`);
    parts[at.split].rows.push(r);
    labels.forEach((_, c) => parts[at.split].Y[c].push(Ys[at.split][c][at.i]));
  });
  const rowsOf = (rows: number[]) => {
    const out = new Float32Array(rows.length * d);
    rows.forEach((r, i) => out.set(X.subarray(r * d, (r + 1) * d), i * d));
    return out;
  };
  const te = labelsOf(sub, ['test']);
  const testSel = selectIds(test, te.ids);
  return probeFeatures(rowsOf(parts.train.rows), parts.train.Y, probeInput(testSel), te.Y, d, labels, k,
    parts.val.rows.length ? { X: rowsOf(parts.val.rows), Y: parts.val.Y } : undefined);
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** One point of the probe-vs-step figure. */
export type ProbePoint = {
  model: string;
  /** 'SSL' for the checkpoint's own weights, 'random init' for its architecture at random init. */
  line: string;
  probe: 'k-NN' | 'linear';
  step: number;
  value: number;
};

/**
 * Probe-vs-step rows of one SSL checkpoint: its random-init floor drawn flat from step 0 to the last step (dashed),
 * the SSL line from the random-init value at step 0 through each probed step.
 */
export function probeLine(model: string, points: { step: number; result: ProbeResult }[], floor: ProbeResult): ProbePoint[] {
  if (!points.length) throw new Error(`probeLine: no probed steps for ${model}`);
  const last = Math.max(...points.map((p) => p.step));
  const rows: ProbePoint[] = [];
  for (const probe of ['k-NN', 'linear'] as const) {
    const v = (r: ProbeResult) => macroAurocOf(r, probe);
    rows.push({ model, line: 'random init', probe, step: 0, value: v(floor) });
    rows.push({ model, line: 'random init', probe, step: last, value: v(floor) });
    rows.push({ model, line: 'SSL', probe, step: 0, value: v(floor) });
    for (const p of [...points].sort((a, b) => a.step - b.step)) rows.push({ model, line: 'SSL', probe, step: p.step, value: v(p.result) });
  }
  return rows;
}

/** Train / val / test features of one encoder on `samples`, through the session's shared cache. */
async function splitFeatures(session: ProbeSession, enc: Encoder, samples: SampleTable, generator: Record<string, unknown>): Promise<Record<'train' | 'val' | 'test', FeatureSet>> {
  const o = { batchSize: session.profile.encoder.batchSize, cacheDir: session.cacheDir, datasetKey: session.datasetKey(samples.dataset, generator) };
  return {
    train: await extractFeatures(enc, samples, { ...o, split: 'train' }),
    val: await extractFeatures(enc, samples, { ...o, split: 'val' }),
    test: await extractFeatures(enc, samples, { ...o, split: 'test' }),
  };
}

/** One probed encoder (or intermediate checkpoint) — a row of the probe table. */
export type ProbeRow = { model: string; kind: string; step: number | null; knn_auroc: number; linear_auroc: number; n_train: number; n_test: number };

export interface ProbeStudy {
  rows: ProbeRow[];
  /** Probe-vs-step figure rows (SSL checkpoints only). */
  points: ProbePoint[];
  /** Whether any SSL checkpoint kept intermediate weights (else the figure is random init → final). */
  intermediate: boolean;
  labels: string[];
  /** Test-split features per encoder name (for the PCA maps). */
  test: Map<string, FeatureSet>;
}

/**
 * Probes every encoder (k-NN and ridge, macro AUROC over `probeLabels`) on the study's synthetic set; for SSL checkpoints
 * also their intermediate weights when kept (`intermediateCheckpoints`), and builds the probe-vs-step lines against the
 * random init of the same architecture.
 */
export async function probeEncoders(session: ProbeSession, samples: SampleTable, encoders: readonly ProbedEncoder[], generator: Record<string, unknown> = {}): Promise<ProbeStudy> {
  const labels = probeLabels(samples);
  const rows: ProbeRow[] = [];
  const results = new Map<string, ProbeResult>();
  const test = new Map<string, FeatureSet>();
  const steps = new Map<string, { step: number; result: ProbeResult }[]>();
  let intermediate = false;
  const row = (model: string, kind: string, step: number | null, r: ProbeResult): ProbeRow =>
    ({ model, kind, step, knn_auroc: r.knnMacroAuroc, linear_auroc: r.linearMacroAuroc, n_train: r.nTrain, n_test: r.nTest });
  for (const e of encoders) {
    const f = await splitFeatures(session, await session.encoder(e), samples, generator);
    const r = probeFeatureSets(samples, [f.train, f.val], f.test, labels);
    results.set(e.name, r);
    test.set(e.name, f.test);
    const final = e.kind === 'ssl' ? trainedSteps(e.spec) ?? null : null;
    rows.push(row(e.name, e.kind, final, r));
    if (e.kind !== 'ssl') continue;
    const pts: { step: number; result: ProbeResult }[] = [];
    for (const c of intermediateCheckpoints(e.spec)) {
      intermediate = true;
      const enc = await openEncoder(c.file, { inputSize: session.profile.data.imageSize, precision: session.profile.encoder.precision });
      try {
        const fi = await splitFeatures(session, enc, samples, generator);
        const ri = probeFeatureSets(samples, [fi.train, fi.val], fi.test, labels);
        pts.push({ step: c.step, result: ri });
        rows.push(row(e.name, 'ssl (intermediate)', c.step, ri));
      } finally { await enc.dispose(); }
    }
    if (final !== null && !pts.some((p) => p.step === final)) pts.push({ step: final, result: r });
    steps.set(e.name, pts);
  }
  const points: ProbePoint[] = [];
  for (const e of encoders.filter((x) => x.kind === 'ssl')) {
    const floor = encoders.find((x) => x.kind === 'random' && x.arch === e.arch);
    const pts = steps.get(e.name) ?? [];
    if (floor && pts.length) points.push(...probeLine(e.name, pts, results.get(floor.name)!));
  }
  return { rows, points, intermediate, labels, test };
}
