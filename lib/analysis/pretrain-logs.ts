/**
 * The embedded SSL checkpoints' training logs as tidy curves and tables: DINO / iBOT / KoLeo / total loss; lr, weight
 * decay, teacher momentum, teacher temperature (DINOv2, Oquab et al. 2023 §4 and its `ssl_default_config.yaml`
 * schedules); the health figures of lib/pretrain/health with a collapse verdict per run; the committed probe of each run.
 *
 * @example
 * const runs = pretrainLogs(session.encoders);                 // { logs, missing }
 * await session.save(lineChart(logCurves(runs.logs, LOSS_TERMS), { x: 'step', color: 'model', row: 'series' }), 'losses');
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../engine/provenance';
import { findingAurocOf, macroAurocOf, probeTargets, readoutsOf } from '../pretrain/probe';
import type { CheckpointProbe } from '../pretrain/probe';
import { collapseSigns, HealthRecord } from '../pretrain/health';
import { plannedCheckpoints, PretrainLog, readPretrainLog } from '../pretrain/run-log';

/** What pretrainLogs reads of an encoder entry (lib/session SessionEncoder has these). */
export interface LoggedEncoder { name: string; spec: string; kind: string }

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

/**
 * The training logs to draw: every planned run (configs/pretrain) whose checkpoints/<name>/log.jsonl has lines — finished
 * or still training (`complete` = model.safetensors written) — plus any other SSL encoder of the study with a log.
 * `missing` names the planned runs with no final model (not started or unfinished), for the notebook to say so.
 */
export function pretrainLogs(encoders: readonly LoggedEncoder[], opts: { planned?: readonly string[]; root?: string } = {}): { logs: (PretrainLog & { complete: boolean })[]; missing: string[] } {
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
 * Curves split into the series that vary and those constant over every run and step (a line at one value gets a
 * degenerate y-axis in its own facet): draw the first, name the second with their value (e.g. in the title).
 */
export function splitConstantSeries<R extends { series: string; value: number }>(rows: readonly R[]): { varying: R[]; constant: { series: string; value: number }[] } {
  const bySeries = new Map<string, Set<number>>();
  for (const r of rows) {
    if (!bySeries.has(r.series)) bySeries.set(r.series, new Set());
    bySeries.get(r.series)!.add(r.value);
  }
  const constant = [...bySeries].filter(([, v]) => v.size === 1).map(([series, v]) => ({ series, value: [...v][0] }));
  const names = new Set(constant.map((c) => c.series));
  return { varying: rows.filter((r) => !names.has(r.series)), constant };
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

/** <dir>/probe.json of each run that has one. */
function committedProbes(logs: readonly PretrainLog[]): { model: string; p: CheckpointProbe }[] {
  return logs.filter((l) => fs.existsSync(path.join(l.dir, 'probe.json')))
    .map((l) => ({ model: l.model, p: JSON.parse(fs.readFileSync(path.join(l.dir, 'probe.json'), 'utf8')) as CheckpointProbe }));
}

/**
 * The committed probe of each finished run (<dir>/probe.json of `raydino pretrain --probe`): SSL beside random init of
 * the same architecture and raw pixels at its input size, and whether the targets (≥ raw pixels, ≥ random + 0.10) hold,
 * per read-out (logistic regression where the file has it, ridge 'linear', k-NN).
 */
export function checkpointProbes(logs: readonly PretrainLog[]): { model: string; probe: string; ssl: number; random_init: number; raw_pixels: number; targets: string }[] {
  return committedProbes(logs).flatMap(({ model, p }) => {
    if (!p.rawPixels) return []; // a probe.json written before raw pixels were probed
    return readoutsOf([p.pretrained, p.randomInit, p.rawPixels]).map((probe) => {
      const [ssl, rnd, raw] = [p.pretrained, p.randomInit, p.rawPixels].map((r) => macroAurocOf(r, probe));
      const t = probeTargets(ssl, rnd, raw);
      return { model, probe, ssl, random_init: rnd, raw_pixels: raw, targets: t === 'met' ? t : `not met: ${t}` };
    });
  });
}

/**
 * The linear read-outs of each committed probe.json (logistic where the file has it, ridge), finding by finding (the
 * macro's terms): SSL beside random init and raw pixels, and SSL − raw pixels. Point estimates on one test split (≈ 600
 * phantoms; no per-finding test): they say where a macro gap comes from, not that a finding's gap is significant. Runs
 * whose probe.json predates per-finding AUROCs are left out (re-run `raydino pretrain --probe`).
 */
export function checkpointProbeFindings(logs: readonly PretrainLog[]): { model: string; probe: string; finding: string; ssl: number; random_init: number; raw_pixels: number; ssl_minus_raw: number }[] {
  return committedProbes(logs).flatMap(({ model, p }) => {
    const runs = [p.pretrained, p.randomInit, p.rawPixels];
    if (runs.some((r) => !r?.linearPerClass)) return [];
    return readoutsOf(runs).filter((probe) => probe !== 'k-NN').flatMap((probe) => p.pretrained.classes.map((finding) => {
      const [ssl, rnd, raw] = runs.map((r) => findingAurocOf(r, finding, probe));
      return { model, probe, finding, ssl, random_init: rnd, raw_pixels: raw, ssl_minus_raw: ssl - raw };
    }));
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
