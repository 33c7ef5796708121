/**
 * Exact-resume checkpoints of a supervised run: one float32 safetensors file with the backbone and head parameters and
 * both AdamW moments, the step, optimiser step, config and label names in its metadata. With the step-keyed RNG streams
 * of supervised-trainer.ts this restores a run bit for bit.
 * Tensor names: `param/<key>`, `adam_m/<key>`, `adam_v/<key>` (key = backbone state-dict name or head.weight/head.bias).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { NdArray } from '../io/dtype';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { SupervisedRun } from './supervised-trainer';

export const SUPERVISED_CHECKPOINT_FILE = 'checkpoint.safetensors';
const FORMAT = 'raydino-supervised-checkpoint';

/** Writes `<dir>/checkpoint.safetensors` atomically (temp file + rename). Returns its path. */
export function saveSupervisedCheckpoint(run: SupervisedRun, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const tensors = new Map<string, NdArray>();
  const st = run.optimizer.state();
  for (const [k, p] of run.params) {
    tensors.set(`param/${k}`, { dtype: 'float32', shape: p.shape, data: p.dataSync() as Float32Array });
    tensors.set(`adam_m/${k}`, { dtype: 'float32', shape: p.shape, data: st.m.get(k)! });
    tensors.set(`adam_v/${k}`, { dtype: 'float32', shape: p.shape, data: st.v.get(k)! });
  }
  const file = path.join(dir, SUPERVISED_CHECKPOINT_FILE);
  const tmp = `${file}.tmp`;
  writeSafetensors(tmp, tensors, {
    format: FORMAT,
    step: String(run.step),
    adam_step: String(st.step),
    config: JSON.stringify(run.config),
    label_names: JSON.stringify(run.train.labelNames),
  });
  fs.renameSync(tmp, file);
  return file;
}

/** Restores a run built with the same config and data from `<dir>/checkpoint.safetensors`. */
export function loadSupervisedCheckpoint(run: SupervisedRun, dir: string): void {
  const file = path.join(dir, SUPERVISED_CHECKPOINT_FILE);
  if (!fs.existsSync(file)) throw new Error(`no checkpoint to resume from: ${file}`);
  const { tensors, metadata } = readSafetensors(file);
  if (metadata.format !== FORMAT) throw new Error(`${file}: not a supervised-baseline checkpoint (format ${metadata.format ?? 'none'})`);
  // only train.* (logging / checkpoint cadence) may change on resume
  const strip = (c: Record<string, unknown>) => JSON.stringify({ ...c, train: undefined });
  if (strip(JSON.parse(metadata.config)) !== strip(run.config as unknown as Record<string, unknown>)) {
    throw new Error(`${file}: was written with a different config (only train.* may change on resume)`);
  }
  if (metadata.label_names !== JSON.stringify(run.train.labelNames)) {
    throw new Error(`${file}: label columns ${metadata.label_names} differ from the data's ${JSON.stringify(run.train.labelNames)}`);
  }
  const get = (name: string, shape: number[]): Float32Array => {
    const t = tensors.get(name);
    if (!t) throw new Error(`${file}: missing tensor ${name}`);
    if (t.shape.join() !== shape.join() || t.dtype !== 'float32') throw new Error(`${file}: ${name} is ${t.dtype} [${t.shape}], expected float32 [${shape}]`);
    return t.data as Float32Array;
  };
  const m = new Map<string, Float32Array>(), v = new Map<string, Float32Array>();
  for (const [k, p] of run.params) {
    const t = tf.tensor(get(`param/${k}`, p.shape), p.shape);
    p.assign(t);
    t.dispose();
    m.set(k, get(`adam_m/${k}`, p.shape));
    v.set(k, get(`adam_v/${k}`, p.shape));
  }
  run.optimizer.restore({ step: Number(metadata.adam_step), m, v });
  run.step = Number(metadata.step);
}
