/**
 * A short live run of the pretraining trainer (the notebook's "watch it train" cell): an embedded config with the
 * profile's `pretrain` section, a few generated images, a temporary output folder removed afterwards.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Profile } from '../config/profiles';
import { projectRoot } from '../engine/provenance';
import { loadPretrainConfig, PretrainConfig, resolvePretrainConfig } from './config';
import { loadPretrainImages } from './data';
import { runPretraining } from './run';
import type { StepRecord } from './trainer';

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
