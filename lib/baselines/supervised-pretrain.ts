/**
 * A whole label-supervised pretraining run on disk (what `raydino supervised` does): resolved config.json, JSONL log
 * (loss, lr, gradient norm, throughput; validation loss and macro AUROC every `train.evalEvery` steps), exact-resume
 * checkpoints every `train.checkpointEvery` steps, and at the end
 *   model.safetensors (+ model.json)  the BACKBONE in the same format as the SSL checkpoints (saveViT), so
 *                                     lib/features opens `checkpoints/supervised-…/` exactly like an SSL folder;
 *   head.safetensors                  the discarded linear head, kept for reference (label names in its metadata);
 *   metrics.json                      the final validation macro AUROC, per-class AUROC and sizes.
 * With `train.selectBest` the exported backbone / head are those of the evaluation with the highest val macro AUROC
 * (kept as best-model.safetensors / best-head.safetensors / best.json while the run goes on, so a resumed run keeps its
 * best), and `train.patience` ends the run early once that many evaluations in a row have not improved on it.
 *
 * @example
 * const cfg = loadSupervisedConfig('configs/supervised/vit_nano-popA.json');
 * await runSupervisedPretraining(cfg, { outDir: 'checkpoints/supervised-vit_nano-popA' });
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeResolvedConfig } from '../config/resolve';
import { progress } from '../engine/progress';
import { NdArray } from '../io/dtype';
import { writeSafetensors } from '../io/safetensors';
import { saveViT } from '../models/weights';
import { SupervisedConfig } from './config';
import { LabelledImages, loadSupervisedData } from './labelled-images';
import { loadSupervisedCheckpoint, saveSupervisedCheckpoint, SUPERVISED_CHECKPOINT_FILE } from './supervised-checkpoint';
import { Evaluation, SupervisedRun, SupervisedStepRecord } from './supervised-trainer';
import { prepareRunLog } from '../pretrain/run-log';

export interface SupervisedRunOptions {
  outDir: string;
  /** Continue from `<outDir>/checkpoint.safetensors`. */
  resume?: boolean;
  /** Data to train / validate on (default: the config's synthetic population). */
  data?: { train: LabelledImages; val: LabelledImages };
  /** Stop after this many steps of this invocation (tests); the schedule still spans optim.steps. */
  maxSteps?: number;
  onStep?: (r: SupervisedStepRecord) => void;
  quiet?: boolean;
}

export interface SupervisedRunResult {
  steps: number;
  /** The step whose weights were exported (the last step, or the best evaluation's with train.selectBest). */
  exportedStep: number | null;
  /** True when train.patience ended the run before optim.steps. */
  stoppedEarly: boolean;
  /** The backbone checkpoint (null until the run has done optim.steps). */
  modelPath: string | null;
  headPath: string | null;
  log: string;
  records: SupervisedStepRecord[];
  /** The latest validation of this invocation (evalEvery steps and the last step; null if none ran). */
  final: Evaluation | null;
}

function round(x: number, digits = 6): number {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)) : x;
}

function saveHead(run: SupervisedRun, file: string): void {
  const tensors = new Map<string, NdArray>();
  for (const [k, p] of run.head.params) tensors.set(k, { dtype: 'float32', shape: p.shape, data: p.dataSync() as Float32Array });
  writeSafetensors(file, tensors, {
    format: 'raydino-supervised-head', pool: run.config.head.pool, label_names: JSON.stringify(run.train.labelNames),
    note: 'weight is [in, out]; in = CLS (‖ mean patch token) of the backbone in model.safetensors',
  });
}

/** The best evaluation so far of a selectBest run, and how many evaluations since have not improved on it. */
interface BestSoFar { step: number; evaluation: Evaluation; evalsSince: number }

const BEST_FILES = { model: 'best-model.safetensors', head: 'best-head.safetensors', state: 'best.json' } as const;

function readBest(out: string): BestSoFar | null {
  const f = path.join(out, BEST_FILES.state);
  if (!fs.existsSync(f)) return null;
  try {
    const b = JSON.parse(fs.readFileSync(f, 'utf8'));
    const nums = (v: unknown[]) => v.map((x) => (x === null ? NaN : Number(x)));
    return { step: b.step, evalsSince: b.evals_since, evaluation: { loss: b.val_loss, macroAuroc: b.val_macro_auroc, perClass: nums(b.per_class), skipped: b.skipped } };
  } catch (e) {
    throw new Error(`${f}: not a best-evaluation record of a supervised run (${(e as Error).message})`);
  }
}

function writeBest(out: string, b: BestSoFar): void {
  const e = b.evaluation;
  const state = { step: b.step, evals_since: b.evalsSince, val_loss: e.loss, val_macro_auroc: e.macroAuroc, per_class: e.perClass.map((v) => (Number.isFinite(v) ? v : null)), skipped: e.skipped };
  fs.writeFileSync(path.join(out, BEST_FILES.state), `${JSON.stringify(state)}\n`);
}

function saveBackbone(run: SupervisedRun, file: string, config: SupervisedConfig): void {
  saveViT(run.vit, file, {
    float16: config.train.float16,
    metadata: { supervised_config: JSON.stringify(config), steps: String(run.step), role: 'supervised-backbone', label_names: JSON.stringify(run.train.labelNames) },
  });
}

/** Runs (or resumes) supervised pretraining; returns what it wrote. */
export async function runSupervisedPretraining(config: SupervisedConfig, opts: SupervisedRunOptions): Promise<SupervisedRunResult> {
  const out = opts.outDir;
  fs.mkdirSync(out, { recursive: true });
  const ckptFile = path.join(out, SUPERVISED_CHECKPOINT_FILE);
  if (!opts.resume && fs.existsSync(ckptFile)) {
    throw new Error(`${ckptFile} exists: pass --resume to continue that run, or choose another --out`);
  }
  writeResolvedConfig(out, config);
  const data = opts.data ?? await loadSupervisedData(config);
  const run = new SupervisedRun(config, data.train, data.val);
  const logFile = path.join(out, 'log.jsonl');
  const records: SupervisedStepRecord[] = [];
  let final: Evaluation | null = null;
  const t0 = Date.now();
  try {
    if (opts.resume) loadSupervisedCheckpoint(run, out);
    prepareRunLog(logFile, opts.resume ? run.step : null);
    const total = config.optim.steps;
    const last = Math.min(total, opts.maxSteps !== undefined ? run.step + opts.maxSteps : total);
    const bar = progress({ total, label: `supervised ${config.name}`, start: run.step, mode: opts.quiet ? 'silent' : undefined });
    let lastAuroc = NaN;
    const selectBest = config.train.selectBest;
    if (selectBest && !data.val) throw new Error(`supervised ${config.name}: train.selectBest needs a val split`);
    let best = opts.resume && selectBest ? readBest(out) : null;
    if (!opts.resume) for (const f of Object.values(BEST_FILES)) fs.rmSync(path.join(out, f), { force: true });
    let stoppedEarly = false;
    while (run.step < last) {
      const r = run.trainStep();
      if (data.val && (run.step % config.train.evalEvery === 0 || run.step === total)) {
        final = run.evaluate();
        r.val_loss = final.loss;
        r.val_macro_auroc = final.macroAuroc;
        r.val_classes_scored = final.perClass.length - final.skipped.length;
        lastAuroc = final.macroAuroc;
        if (selectBest) {
          if (!best || final.macroAuroc > best.evaluation.macroAuroc) {
            best = { step: run.step, evaluation: final, evalsSince: 0 };
            saveBackbone(run, path.join(out, BEST_FILES.model), config);
            saveHead(run, path.join(out, BEST_FILES.head));
          } else {
            best.evalsSince += 1;
          }
          writeBest(out, best);
          const p = config.train.patience;
          stoppedEarly = p !== null && best.evalsSince >= p;
        }
      }
      records.push(r);
      opts.onStep?.(r);
      if (r.step % config.train.logEvery === 0 || r.val_macro_auroc !== undefined || run.step === total) {
        const line = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'step' || k === 'val_classes_scored' ? v : round(v as number)]));
        fs.appendFileSync(logFile, `${JSON.stringify(line)}\n`);
      }
      bar.tick(1, { loss: r.loss.toFixed(4), 'val_auroc': Number.isFinite(lastAuroc) ? lastAuroc.toFixed(3) : '-', 'img/s': r.img_per_s.toFixed(1) });
      if (run.step % config.train.checkpointEvery === 0 || run.step === last || stoppedEarly) saveSupervisedCheckpoint(run, out);
      if (stoppedEarly) break;
    }
    bar.done();
    let modelPath: string | null = null;
    let headPath: string | null = null;
    let exportedStep: number | null = null;
    if (run.step >= total || stoppedEarly) {
      modelPath = path.join(out, 'model.safetensors');
      headPath = path.join(out, 'head.safetensors');
      if (selectBest && best) {
        fs.renameSync(path.join(out, BEST_FILES.model), modelPath);
        fs.renameSync(path.join(out, BEST_FILES.head), headPath);
        fs.rmSync(path.join(out, BEST_FILES.state), { force: true });
        final = best.evaluation;
        exportedStep = best.step;
      } else {
        saveBackbone(run, modelPath, config);
        saveHead(run, headPath);
        if (!final && data.val) final = run.evaluate();
        exportedStep = run.step;
      }
      const metrics = {
        steps: run.step,
        exported_step: exportedStep,
        stopped_early: stoppedEarly,
        population: config.data.population,
        train_images: data.train.images.length,
        val_images: data.val?.images.length ?? 0,
        val_loss: final ? round(final.loss) : null,
        val_macro_auroc: final ? round(final.macroAuroc) : null,
        val_auroc_per_class: final ? Object.fromEntries(run.train.labelNames.map((n, c) => [n, Number.isFinite(final!.perClass[c]) ? round(final!.perClass[c], 4) : null])) : null,
        seconds_this_invocation: round((Date.now() - t0) / 1000, 4),
      };
      fs.writeFileSync(path.join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
      if (!config.train.keepFinalCheckpoint) fs.rmSync(ckptFile, { force: true });
    }
    return { steps: run.step, exportedStep, stoppedEarly, modelPath, headPath, log: logFile, records, final };
  } finally {
    run.dispose();
  }
}
