/**
 * Notebook 01 (pretraining) glue: the embedded SSL checkpoints' training logs as tidy curves (DINO / iBOT / KoLeo / total
 * loss; lr, weight decay, teacher momentum, teacher temperature — DINOv2, Oquab et al. 2023 §4 and its
 * `ssl_default_config.yaml` schedules), a short live run of the same trainer (lib/pretrain `runPretraining`) with the
 * profile's `pretrain` section, frozen-feature probes (lib/pretrain/probe: weighted k-NN and ridge, macro AUROC on held-out
 * synthetic findings) of each checkpoint vs its architecture at random init, and the patch-feature PCA maps
 * (lib/analysis patchPcaMap) of an SSL encoder vs random init.
 *
 * @example
 * const logs = pretrainLogs(study.encoders);                 // { logs, missing }
 * await study.save(lineChart(logCurves(logs.logs, LOSS_TERMS), { x: 'step', color: 'model', row: 'series' }), 'losses');
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Profile } from '../config/profiles';
import type { SampleTable } from '../data/types';
import { FINDING_NAMES, POPULATIONS } from '../data/synthetic';
import { projectRoot } from '../engine/provenance';
import type { FeatureSet } from '../features/feature-set';
import { selectIds } from '../features/feature-set';
import { poolFeatureSet } from '../features/pooling';
import { featurePcaMap } from '../analysis/patch-pca-map';
import { pcaMapPng } from '../analysis/pca-map-image';
import { loadPretrainConfig, PretrainConfig, resolvePretrainConfig } from '../pretrain/config';
import { loadPretrainImages } from '../pretrain/data';
import { CheckpointProbe, labelsOf, probeFeatures, ProbeResult } from '../pretrain/probe';
import { collapseSigns, HealthRecord } from '../pretrain/health';
import { runPretraining } from '../pretrain/run';
import type { StepRecord } from '../pretrain/trainer';
import type { Panel } from '../plots/panel-grid';
import type { SessionEncoder } from '../session/encoders';
import type { Session } from '../session/session';
import { extractFeatures } from '../features/extract';
import { openEncoder } from '../features/open-encoder';
import type { Encoder } from '../features/encoder';

/** One log.jsonl column shown as a curve, with its label in the figure. */
export interface LogSeries { key: string; label: string }

/** The loss terms of DINOv2's objective (dinov2 `train/ssl_meta_arch.py`: dino_local_crops_loss + dino_global_crops_loss, ibot_loss, koleo_loss). */
export const LOSS_TERMS: readonly LogSeries[] = [
  { key: 'dino_loss', label: 'DINO (CLS)' },
  { key: 'ibot_loss', label: 'iBOT (masked patches)' },
  { key: 'koleo_loss', label: 'KoLeo' },
  { key: 'total_loss', label: 'total' },
];

/** The four schedules of DINOv2 (`CosineScheduler` instances of dinov2 `train/train.py build_schedulers`). */
export const SCHEDULES: readonly LogSeries[] = [
  { key: 'lr', label: 'learning rate' },
  { key: 'wd', label: 'weight decay' },
  { key: 'momentum', label: 'teacher momentum' },
  { key: 'teacher_temp', label: 'teacher temperature' },
];

/**
 * The health figures of every step (lib/pretrain/health). `perLogK` ones are divided by log K of the run's head (its
 * config.json), so runs with different K share a panel whose collapse line is 1 and whose end-of-run target is 0.8.
 */
export const HEALTH_TERMS: readonly (LogSeries & { perLogK?: boolean })[] = [
  { key: 'dino_loss', label: 'DINO loss / log K', perLogK: true },
  { key: 'ibot_ce', label: 'iBOT cross-entropy / log K', perLogK: true },
  { key: 'teacher_entropy', label: 'teacher target entropy / log K', perLogK: true },
  { key: 'student_entropy', label: 'student entropy / log K', perLogK: true },
  { key: 'logit_row_sd', label: 'prototype logit row sd' },
  { key: 'cls_cosine', label: 'CLS mean pairwise cosine' },
  { key: 'cls_effective_rank', label: 'CLS effective rank' },
];

/** One checkpoint's training log. */
export interface PretrainLog {
  model: string;
  dir: string;
  records: Record<string, number>[];
}

/** Parses a log.jsonl (one JSON object per line, `step` required); a bad line throws naming file and line. */
export function readPretrainLog(dir: string, model = path.basename(dir)): PretrainLog {
  const file = path.join(dir, 'log.jsonl');
  if (!fs.existsSync(file)) throw new Error(`readPretrainLog: ${file} not found`);
  const records: Record<string, number>[] = [];
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // a run still training may be mid-write: its unterminated last line is not a record yet
  if (!text.endsWith('\n')) lines.pop();
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let r: Record<string, number>;
    try { r = JSON.parse(line); } catch (e) { throw new Error(`${file}:${i + 1}: not JSON (${(e as Error).message})`); }
    if (typeof r.step !== 'number') throw new Error(`${file}:${i + 1}: field step missing or not a number`);
    records.push(r);
  });
  if (!records.length) throw new Error(`readPretrainLog: ${file} is empty`);
  return { model, dir, records };
}

/** Names of the embedded pretraining runs: configs/pretrain/*.json except paper-scale templates (name contains 'paper'). */
export function plannedCheckpoints(root = projectRoot()): string[] {
  const dir = path.join(root, 'configs', 'pretrain');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5))
    .filter((n) => !n.includes('paper')).sort();
}

/**
 * The training logs to draw: every planned run (configs/pretrain) whose checkpoints/<name>/log.jsonl has lines — finished
 * or still training (`complete` = model.safetensors written) — plus any other SSL encoder of the study with a log.
 * `missing` names the planned runs with no final model (not started or unfinished), for the notebook to say so.
 */
export function pretrainLogs(encoders: readonly SessionEncoder[], opts: { planned?: readonly string[]; root?: string } = {}): { logs: (PretrainLog & { complete: boolean })[]; missing: string[] } {
  const root = opts.root ?? projectRoot();
  const planned = opts.planned ?? plannedCheckpoints(root);
  const dirs = new Map<string, string>(planned.map((n) => [n, path.join(root, 'checkpoints', n)]));
  for (const e of encoders) if (e.kind === 'ssl' && !dirs.has(e.name)) dirs.set(e.name, e.spec);
  const logs: (PretrainLog & { complete: boolean })[] = [];
  const missing: string[] = [];
  for (const [name, dir] of dirs) {
    const complete = fs.existsSync(path.join(dir, 'model.safetensors'));
    if (!complete) missing.push(name);
    const file = path.join(dir, 'log.jsonl');
    if (fs.existsSync(file) && /\S[^\n]*\n/.test(fs.readFileSync(file, 'utf8'))) logs.push({ ...readPretrainLog(dir, name), complete });
  }
  return { logs, missing };
}

/**
 * Tidy rows {model, series, step, value} of `series` from logs; values averaged over windows of `every` steps (1 = raw)
 * so that a few hundred noisy steps stay readable. Non-finite values are dropped.
 */
export function logCurves(logs: readonly PretrainLog[], series: readonly LogSeries[], opts: { every?: number } = {}): { model: string; series: string; step: number; value: number }[] {
  const every = opts.every ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new Error(`logCurves: invalid every: ${opts.every}`);
  const rows: { model: string; series: string; step: number; value: number }[] = [];
  for (const log of logs) {
    for (const s of series) {
      const pts = log.records.filter((r) => Number.isFinite(r[s.key])).map((r) => [r.step, r[s.key]] as const);
      for (let i = 0; i < pts.length; i += every) {
        const w = pts.slice(i, i + every);
        rows.push({ model: log.model, series: s.label, step: w[w.length - 1][0], value: w.reduce((a, p) => a + p[1], 0) / w.length });
      }
    }
  }
  return rows;
}

/**
 * logCurves of HEALTH_TERMS with the log-K terms divided by log K of each run (head.prototypes of <dir>/config.json).
 * Logs written before the health figures existed have none of these columns and give no rows.
 */
export function healthCurves(logs: readonly PretrainLog[], opts: { every?: number } = {}): { model: string; series: string; step: number; value: number }[] {
  return logs.flatMap((log) => {
    const cfg = path.join(log.dir, 'config.json');
    const K = fs.existsSync(cfg) ? JSON.parse(fs.readFileSync(cfg, 'utf8'))?.head?.prototypes : undefined;
    if (!(K > 1)) throw new Error(`healthCurves: ${cfg} has no head.prototypes: cannot scale the entropies of ${log.model} by log K`);
    const perLogK = new Set(HEALTH_TERMS.filter((t) => t.perLogK).map((t) => t.label));
    return logCurves([log], HEALTH_TERMS, opts).map((r) => (perLogK.has(r.series) ? { ...r, value: r.value / Math.log(K) } : r));
  });
}

/** collapseSigns (lib/pretrain/health) of each finished run with health columns: 'healthy' or the signs found. */
export function collapseVerdicts(logs: readonly (PretrainLog & { complete?: boolean })[]): { model: string; steps: number; verdict: string }[] {
  return logs.filter((l) => Number.isFinite(l.records[0]?.teacher_entropy)).map((l) => {
    const K = JSON.parse(fs.readFileSync(path.join(l.dir, 'config.json'), 'utf8')).head.prototypes as number;
    const signs = collapseSigns(l.records as unknown as HealthRecord[], K, { final: l.complete !== false });
    return { model: l.model, steps: l.records.length, verdict: signs.length ? signs.join('; ') : 'healthy (no sign of collapse)' };
  });
}

/**
 * The committed probe of each finished run (<dir>/probe.json of `raydino pretrain --probe`): SSL beside random init of
 * the same architecture and raw pixels at its input size, and whether the targets (≥ raw pixels, ≥ random + 0.10) hold.
 */
export function checkpointProbes(logs: readonly PretrainLog[]): { model: string; probe: string; ssl: number; random_init: number; raw_pixels: number; targets: string }[] {
  return logs.filter((l) => fs.existsSync(path.join(l.dir, 'probe.json'))).flatMap((l) => {
    const p = JSON.parse(fs.readFileSync(path.join(l.dir, 'probe.json'), 'utf8')) as CheckpointProbe;
    if (!p.rawPixels) return []; // a probe.json written before raw pixels were probed
    return (['linear', 'k-NN'] as const).map((probe) => {
      const v = (r: ProbeResult) => (probe === 'linear' ? r.linearMacroAuroc : r.knnMacroAuroc);
      const [ssl, rnd, raw] = [v(p.pretrained), v(p.randomInit), v(p.rawPixels)];
      return { model: l.model, probe, ssl, random_init: rnd, raw_pixels: raw, targets: ssl >= raw && ssl >= rnd + 0.1 ? 'met' : ssl < raw ? 'not met: below raw pixels' : 'not met: under random + 0.10' };
    });
  });
}

/** Last-step summary per log: steps, final total loss, mean throughput, wall-clock seconds. */
export function logSummary(logs: readonly (PretrainLog & { complete?: boolean })[]): { model: string; status: string; steps: number; final_total_loss: number; img_per_s: number; minutes: number }[] {
  return logs.map((l) => {
    const last = l.records[l.records.length - 1];
    const ips = l.records.map((r) => r.img_per_s).filter(Number.isFinite);
    const secs = l.records.map((r) => r.seconds).filter(Number.isFinite);
    return {
      model: l.model, status: l.complete === false ? 'in progress (no model yet)' : 'complete', steps: last.step + 1, final_total_loss: last.total_loss,
      img_per_s: ips.length ? ips.reduce((a, b) => a + b, 0) / ips.length : NaN,
      minutes: secs.reduce((a, b) => a + b, 0) / 60,
    };
  });
}

/**
 * The study's encoders plus, for every architecture of an SSL or supervised encoder, that architecture at random init
 * (`random-<arch>`, seed 0) when the list lacks it — the floor every figure of 01 / 07 draws, even before any SSL
 * checkpoint exists.
 */
export function withRandomFloors(encoders: readonly SessionEncoder[]): SessionEncoder[] {
  const out = [...encoders];
  const archs = [...new Set(encoders.filter((e) => e.kind === 'ssl' || e.kind === 'supervised').map((e) => e.arch).filter((a): a is string => !!a))];
  for (const arch of archs) {
    if (!out.some((e) => e.kind === 'random' && e.arch === arch)) out.push({ name: `random-${arch}`, spec: `random:${arch}:0`, kind: 'random', arch });
  }
  return out;
}

/** The synthetic populations the profile mixes (the first `profile.data.populations` of the generator's), ≥ 2 of them. */
export function profilePopulations(profile: Profile): string[] {
  const all = Object.keys(POPULATIONS);
  const n = Math.max(2, Math.min(all.length, profile.data.populations));
  return all.slice(0, n);
}

// ---------------------------------------------------------------------------------------------------------------------
// Live run

/**
 * The live-run config: `base` (an embedded config) with the profile's `pretrain` section — steps of the schedule, batch
 * size, lr (no batch scaling) and warm-up — and only `count` images generated (the run stops after a few steps).
 */
export function liveRunConfig(base: PretrainConfig, pretrain: Profile['pretrain'], count: number): PretrainConfig {
  if (!(Number.isInteger(count) && count >= pretrain.batchSize)) throw new Error(`liveRunConfig: count ${count} must be an integer ≥ the batch size ${pretrain.batchSize}`);
  return resolvePretrainConfig({
    ...base,
    name: `${base.name}-live`,
    data: { ...base.data, count },
    optim: { ...base.optim, steps: pretrain.steps, batchSize: pretrain.batchSize, baseLr: pretrain.lr, scalingRule: 'none', warmupSteps: pretrain.warmupSteps },
    train: { ...base.train, checkpointEvery: pretrain.steps },
  }, 'live pretraining config');
}

export interface LiveRun { config: PretrainConfig; records: StepRecord[]; seconds: number }

/**
 * Runs `steps` steps of the trainer in a temporary folder (removed afterwards) and returns the step records; the progress
 * line is the trainer's own. `baseConfig` defaults to configs/pretrain/vit-nano-synthetic.json.
 */
export async function livePretrain(pretrain: Profile['pretrain'], opts: { steps: number; baseConfig?: string; root?: string }): Promise<LiveRun> {
  const { steps } = opts;
  if (!(Number.isInteger(steps) && steps >= 1)) throw new Error(`livePretrain: invalid steps: ${steps}`);
  const file = opts.baseConfig ?? path.join(opts.root ?? projectRoot(), 'configs', 'pretrain', 'vit-nano-synthetic.json');
  const config = liveRunConfig(loadPretrainConfig(file), pretrain, Math.max(pretrain.batchSize, Math.min(pretrain.batchSize * steps, 4 * pretrain.batchSize)));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-live-'));
  const t0 = Date.now();
  try {
    const images = await loadPretrainImages(config);
    const r = await runPretraining(config, { outDir: out, images, maxSteps: steps });
    return { config, records: r.records, seconds: (Date.now() - t0) / 1000 };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Probes

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

/** Steps trained, from the checkpoint's log.jsonl (last logged step + 1); undefined without a log. */
export function trainedSteps(dir: string): number | undefined {
  if (!fs.existsSync(path.join(dir, 'log.jsonl'))) return undefined;
  const r = readPretrainLog(dir).records;
  return r[r.length - 1].step + 1;
}

/**
 * Intermediate teacher weights kept next to a checkpoint: `<dir>/steps/*<step>.safetensors` or
 * `<dir>/model-step<step>.safetensors` (sorted by step). Empty when the run kept only the final model.
 */
export function intermediateCheckpoints(dir: string): { step: number; file: string }[] {
  const found: { step: number; file: string }[] = [];
  const scan = (d: string, re: RegExp) => {
    if (!fs.existsSync(d)) return;
    for (const f of fs.readdirSync(d)) {
      const m = re.exec(f);
      if (m) found.push({ step: Number(m[1]), file: path.join(d, f) });
    }
  };
  scan(path.join(dir, 'steps'), /(\d+)\.safetensors$/);
  scan(dir, /^model[-_]step[-_]?(\d+)\.safetensors$/);
  return found.sort((a, b) => a.step - b.step);
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
    const v = (r: ProbeResult) => (probe === 'k-NN' ? r.knnMacroAuroc : r.linearMacroAuroc);
    rows.push({ model, line: 'random init', probe, step: 0, value: v(floor) });
    rows.push({ model, line: 'random init', probe, step: last, value: v(floor) });
    rows.push({ model, line: 'SSL', probe, step: 0, value: v(floor) });
    for (const p of [...points].sort((a, b) => a.step - b.step)) rows.push({ model, line: 'SSL', probe, step: p.step, value: v(p.result) });
  }
  return rows;
}

/** Train / val / test features of one encoder on `samples`, through the session's shared cache. */
async function splitFeatures(session: Session, enc: Encoder, samples: SampleTable, generator: Record<string, unknown>): Promise<Record<'train' | 'val' | 'test', FeatureSet>> {
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
export async function probeEncoders(session: Session, samples: SampleTable, encoders: readonly SessionEncoder[], generator: Record<string, unknown> = {}): Promise<ProbeStudy> {
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

// ---------------------------------------------------------------------------------------------------------------------
// PCA maps

/**
 * Panels image | PCA map per encoder, one row per example: DINOv2's Fig. 1 display, the PCA fitted jointly over the
 * examples of each encoder (lib/analysis featurePcaMap). `features` maps an encoder label to its test-split FeatureSet.
 */
export async function pcaPanels(samples: SampleTable, features: { label: string; set: FeatureSet }[], ids: readonly string[], size = 128): Promise<{ panels: Panel[]; cols: number; explained: Record<string, number[]> }> {
  if (!features.length) throw new Error('pcaPanels: no encoders');
  const maps = features.map((f) => ({ label: f.label, map: featurePcaMap(f.set, ids) }));
  const panels: Panel[] = [];
  for (let i = 0; i < ids.length; i++) {
    panels.push({ image: { image: await samples.loadImage(ids[i]) }, title: ids[i] });
    for (const { label, map } of maps) panels.push({ image: await pcaMapPng(map.rgb[i], map.gridH, map.gridW, size), title: label });
  }
  return { panels, cols: 1 + maps.length, explained: Object.fromEntries(maps.map((m) => [m.label, m.map.explained])) };
}
