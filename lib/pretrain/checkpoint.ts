/**
 * Exact-resume checkpoints of a pretraining run: one float32 safetensors file holding the student and teacher
 * (backbone + heads), both AdamW moments and both centres, with the step, optimiser step and config in its metadata.
 * Together with the step-keyed RNG streams of trainer.ts this restores a run bit for bit.
 * Tensor names: `student/<key>`, `teacher/<key>`, `adam_m/<key>`, `adam_v/<key>`, `center/dino`, `center/ibot`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { NdArray } from '../io/dtype';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { PretrainRun } from './trainer';

export const CHECKPOINT_FILE = 'checkpoint.safetensors';

function nd(t: tf.Tensor): NdArray {
  return { dtype: 'float32', shape: t.shape, data: t.dataSync() as Float32Array };
}

/** Writes `<dir>/checkpoint.safetensors` (atomically: temp file + rename). Returns its path. */
export function saveCheckpoint(run: PretrainRun, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const tensors = new Map<string, NdArray>();
  for (const [k, p] of run.studentParams) tensors.set(`student/${k}`, nd(p));
  for (const [k, p] of run.teacherParams) tensors.set(`teacher/${k}`, nd(p));
  const st = run.optimizer.state();
  for (const [k, p] of run.studentParams) {
    tensors.set(`adam_m/${k}`, { dtype: 'float32', shape: p.shape, data: st.m.get(k)! });
    tensors.set(`adam_v/${k}`, { dtype: 'float32', shape: p.shape, data: st.v.get(k)! });
  }
  tensors.set('center/dino', nd(run.dinoCenter.center));
  tensors.set('center/ibot', nd(run.ibotCenter.center));
  const file = path.join(dir, CHECKPOINT_FILE);
  const tmp = `${file}.tmp`;
  writeSafetensors(tmp, tensors, {
    format: 'raydino-pretrain-checkpoint',
    step: String(run.step),
    adam_step: String(st.step),
    rng_state: JSON.stringify(run.stepRng(run.step).state()),
    config: JSON.stringify(run.config),
  });
  fs.renameSync(tmp, file);
  return file;
}

/** Restores a run created with the same config from `<dir>/checkpoint.safetensors`. */
export function loadCheckpoint(run: PretrainRun, dir: string): void {
  const file = path.join(dir, CHECKPOINT_FILE);
  if (!fs.existsSync(file)) throw new Error(`no checkpoint to resume from: ${file}`);
  const { tensors, metadata } = readSafetensors(file);
  if (metadata.format !== 'raydino-pretrain-checkpoint') throw new Error(`${file}: not a pretraining checkpoint`);
  const saved = JSON.parse(metadata.config);
  const strip = (c: Record<string, unknown>) => JSON.stringify({ ...c, optim: { ...(c.optim as object) }, train: undefined });
  if (strip(saved) !== strip(run.config as unknown as Record<string, unknown>)) {
    throw new Error(`${file}: was written with a different config (only train.* may change on resume)`);
  }
  const get = (name: string, shape: number[]): Float32Array => {
    const t = tensors.get(name);
    if (!t) throw new Error(`${file}: missing tensor ${name}`);
    if (t.shape.join() !== shape.join() || t.dtype !== 'float32') throw new Error(`${file}: ${name} is ${t.dtype} [${t.shape}], expected float32 [${shape}]`);
    return t.data as Float32Array;
  };
  const assign = (v: tf.Variable, data: Float32Array) => {
    const t = tf.tensor(data, v.shape);
    v.assign(t);
    t.dispose();
  };
  for (const [k, p] of run.studentParams) assign(p, get(`student/${k}`, p.shape));
  for (const [k, p] of run.teacherParams) assign(p, get(`teacher/${k}`, p.shape));
  const m = new Map<string, Float32Array>(), v = new Map<string, Float32Array>();
  for (const [k, p] of run.studentParams) { m.set(k, get(`adam_m/${k}`, p.shape)); v.set(k, get(`adam_v/${k}`, p.shape)); }
  run.optimizer.restore({ step: Number(metadata.adam_step), m, v });
  run.dinoCenter.restore(get('center/dino', run.dinoCenter.center.shape));
  run.ibotCenter.restore(get('center/ibot', run.ibotCenter.center.shape));
  run.step = Number(metadata.step);
  const expect = JSON.stringify(run.stepRng(run.step).state());
  if (metadata.rng_state !== expect) throw new Error(`${file}: RNG stream of step ${run.step} differs from the saved state`);
}
