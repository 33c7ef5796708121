/**
 * A whole pretraining run on disk (what `raydino pretrain` does): resolved config.json, JSONL log, exact-resume
 * checkpoints every `train.checkpointEvery` steps (in-process, or data-parallel over `train.workers` worker threads:
 * data-parallel.ts), and at the end the teacher backbone (dinov2 evaluates the teacher)
 * as `model.safetensors` (+ `model.json`, its ViT config), loadable with `loadViT` / `raydino encoder`.
 *
 * @example
 * const cfg = loadPretrainConfig('configs/pretrain/vit-nano-synthetic.json');
 * await runPretraining(cfg, { outDir: 'checkpoints/vit-nano-synthetic' });
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeResolvedConfig } from '../config/resolve';
import { GreyImage } from '../data/types';
import { progress } from '../engine/progress';
import { saveViT } from '../models/weights';
import { CHECKPOINT_FILE, loadCheckpoint, saveCheckpoint } from './checkpoint';
import { PretrainConfig, shardCount } from './config';
import { loadPretrainImages } from './data';
import { DataParallelRun } from './data-parallel';
import { checkShards } from './shard';
import { PretrainRun, StepRecord } from './trainer';
import { prepareRunLog } from './run-log';

export interface RunOptions {
  outDir: string;
  /** Continue from `<outDir>/checkpoint.safetensors`. */
  resume?: boolean;
  /** Images to train on (default: the config's synthetic data). */
  images?: GreyImage[];
  /** Stop after this many steps of this invocation (tests, benchmarks); the schedule still spans optim.steps. */
  maxSteps?: number;
  /** Keep `checkpoint.safetensors` after the last step (default true; embedded checkpoints drop it: it holds the optimiser). */
  keepFinalCheckpoint?: boolean;
  onStep?: (r: StepRecord) => void;
  quiet?: boolean;
}

export interface RunResult {
  steps: number;
  modelPath: string | null;
  log: string;
  records: StepRecord[];
}

function round(x: number, digits = 6): number {
  return Number(x.toPrecision(digits));
}

/** Runs (or resumes) pretraining; returns what it wrote. */
export async function runPretraining(config: PretrainConfig, opts: RunOptions): Promise<RunResult> {
  const out = opts.outDir;
  const { shards, setting } = shardCount(config);
  checkShards(config.optim.batchSize, shards, config.dino.koleoLossWeight > 0, setting); // before writing anything
  fs.mkdirSync(out, { recursive: true });
  const ckptFile = path.join(out, CHECKPOINT_FILE);
  if (!opts.resume && fs.existsSync(ckptFile)) {
    throw new Error(`${ckptFile} exists: pass --resume to continue that run, or choose another --out`);
  }
  writeResolvedConfig(out, config);
  const images = opts.images ?? await loadPretrainImages(config);
  // ≥ 2 shards: student shards in worker threads, teacher + update here (data-parallel.ts); 1: all in-process
  const dp = shards > 1 ? await DataParallelRun.create(config, images) : null;
  const run = dp ? dp.run : new PretrainRun(config, images);
  const logFile = path.join(out, 'log.jsonl');
  const records: StepRecord[] = [];
  try {
    if (opts.resume) loadCheckpoint(run, out);
    prepareRunLog(logFile, opts.resume ? run.step : null);
    const total = config.optim.steps;
    const last = Math.min(total, opts.maxSteps !== undefined ? run.step + opts.maxSteps : total);
    const workers = shards > 1 ? ` (${config.train.workers} workers${shards !== config.train.workers ? `, ${shards} shards` : ''})` : '';
    const bar = progress({ total, label: `pretrain ${config.name}${workers}`, start: run.step, mode: opts.quiet ? 'silent' : undefined });
    while (run.step < last) {
      const r = dp ? await dp.trainStep() : run.trainStep();
      records.push(r);
      opts.onStep?.(r);
      if (r.step % config.train.logEvery === 0 || run.step === total) {
        const line = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'step' || k === 'masked_patches' ? v : round(v)]));
        fs.appendFileSync(logFile, `${JSON.stringify(line)}\n`);
      }
      bar.tick(1, { loss: r.total_loss.toFixed(3), dino: r.dino_loss.toFixed(3), ibot: r.ibot_loss.toFixed(3), koleo: r.koleo_loss.toFixed(3), 'img/s': r.img_per_s.toFixed(1) });
      if (run.step % config.train.checkpointEvery === 0 || run.step === last) saveCheckpoint(run, out);
    }
    bar.done();
    let modelPath: string | null = null;
    if (run.step >= total) {
      modelPath = path.join(out, 'model.safetensors');
      saveViT(run.teacher, modelPath, { float16: config.train.float16, metadata: { pretrain_config: JSON.stringify(config), steps: String(run.step), role: 'teacher' } });
      if (opts.keepFinalCheckpoint === false) fs.rmSync(ckptFile, { force: true });
    }
    return { steps: run.step, modelPath, log: logFile, records };
  } finally {
    if (dp) await dp.close();
    else run.dispose();
  }
}
