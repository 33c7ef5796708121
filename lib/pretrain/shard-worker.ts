/**
 * WorkerPool module (lib/engine/worker-pool) holding a student and a teacher replica (backbone + heads) and computing,
 * for one data-parallel shard of a pretraining step, either the teacher's logits (`TeacherShardTask`, when the teacher
 * forward is sharded too) or the student's loss and gradients (`ShardTask`) — one dinov2 DDP rank's work. Replicas are
 * stateless between tasks: every task carries the current weights, so any worker can take any shard and a resumed run
 * needs no worker state.
 * workerData: ShardWorkerData. Tasks → ShardResult / TeacherShardResult (buffers transferred).
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../engine/rng';
import type { WorkerContext } from '../engine/worker-protocol';
import { withTransfer } from '../engine/worker-protocol';
import { createViT } from '../models/registry';
import { PretrainConfig } from './config';
import { assignFlat, flatLayout, packGrads } from './flat-params';
import { createHeads } from './heads';
import { maskedPatchIndex } from './ibot-loss';
import { ShardData, shardStream } from './shard';
import { disposeInputs, studentBatch, StudentInputs, StudentModel, studentLossAndGrads, studentModel } from './student-step';
import { teacherLogits } from './teacher-step';

export interface ShardWorkerData {
  config: PretrainConfig;
  /** The main thread's parameter keys and sizes, in order (checked against this replica's). */
  keys: string[];
  sizes: number[];
}

export interface ShardTask extends ShardData {
  step: number;
  shard: number;
  /** Current student weights, flat in `keys` order. */
  weights: Float32Array;
  /** Where to write the flat gradients (a view of a SharedArrayBuffer the main thread reads); absent: a new buffer. */
  gradsOut?: Float32Array;
}

/** Teacher forward of a shard's global crops; `weights`: current teacher weights, flat in `keys` order. */
export interface TeacherShardTask {
  kind: 'teacher';
  weights: Float32Array;
  /** [2b, 1, G, G] global crops and their [2b·T] iBOT masks (the teacher sees the crops unmasked). */
  global: Float32Array;
  masks: Uint8Array;
  /** Whether iBOT targets are needed this step (some patch of the whole batch is masked and ibot.lossWeight > 0). */
  ibot: boolean;
}

export interface TeacherShardResult {
  /** [2b, K] DINO logits and [m, K] iBOT logits of the shard's masked patches (flat-index order). */
  dino: Float32Array;
  ibot: Float32Array;
  /** [2b, D] backbone CLS tokens (health figures). */
  cls: Float32Array;
}

export interface ShardResult {
  grads: Float32Array;
  present: boolean[];
  dino: number;
  ibot: number;
  koleo: number;
  total: number;
  studentEntropy: number;
  /** This worker's time for the task (forward + backward + reading the gradients), ms. */
  ms: number;
}

let model: StudentModel | undefined;
let teacher: StudentModel | undefined;
let config: PretrainConfig | undefined;

export function init(ctx: WorkerContext): void {
  const d = ctx.workerData as ShardWorkerData;
  const c = d.config;
  // Initial values are irrelevant (each task brings the weights); the architecture must match the main thread's.
  const vit = createViT(c.model.arch, { ...c.model.overrides, dropPathRate: c.model.dropPathRate }, 0);
  model = studentModel(vit, createHeads(c, vit.config.dim, createRng(0)));
  const t = createViT(c.model.arch, { ...c.model.overrides, dropPathRate: 0 }, 0);
  teacher = studentModel(t, createHeads(c, t.config.dim, createRng(0)));
  const mine = flatLayout(model.params);
  if (mine.keys.join() !== d.keys.join() || mine.sizes.join() !== d.sizes.join()) {
    throw new Error(`shard-worker: replica parameters [${mine.keys.length}] differ from the main thread's [${d.keys.length}]`);
  }
  config = c;
}

export function handle(task: ShardTask | TeacherShardTask): unknown {
  if (!model || !teacher || !config) throw new Error('shard-worker: not initialised');
  if ('kind' in task && task.kind === 'teacher') return teacherShard(teacher, task, config);
  return studentShard(model, task as ShardTask, config, performance.now());
}

function teacherShard(replica: StudentModel, task: TeacherShardTask, c: PretrainConfig): unknown {
  assignFlat(replica.params, task.weights);
  const G = c.crops.globalSize;
  const b = task.global.length / (2 * G * G);
  const T = (G / replica.vit.config.patchSize) ** 2;
  const gT = tf.tensor4d(task.global, [2 * b, 1, G, G]);
  const idxT = task.ibot ? tf.tensor1d(maskedPatchIndex(task.masks, 2 * b, T).indices, 'int32') : null;
  const { dinoLogits, ibotLogits, cls } = teacherLogits(replica, gT, idxT);
  const out: TeacherShardResult = {
    dino: dinoLogits.dataSync().slice() as Float32Array, ibot: (ibotLogits?.dataSync().slice() ?? new Float32Array(0)) as Float32Array,
    cls: cls.dataSync().slice() as Float32Array,
  };
  tf.dispose([gT, dinoLogits, cls]);
  idxT?.dispose();
  ibotLogits?.dispose();
  return withTransfer(out, [out.dino.buffer as ArrayBuffer, out.ibot.buffer as ArrayBuffer, out.cls.buffer as ArrayBuffer]);
}

function studentShard(model: StudentModel, task: ShardTask, c: PretrainConfig, t0: number): unknown {
  for (const k of ['weights', 'global', 'local', 'dinoProbs', 'ibotProbs'] as const) {
    if (!(task[k] instanceof Float32Array)) throw new Error(`shard-worker: task.${k} must be a Float32Array (step ${task.step}, shard ${task.shard})`);
  }
  if (!(task.masks instanceof Uint8Array)) throw new Error(`shard-worker: task.masks must be a Uint8Array (step ${task.step}, shard ${task.shard})`);
  const b = task.global.length / (2 * c.crops.globalSize ** 2);
  const T = (c.crops.globalSize / model.vit.config.patchSize) ** 2;
  assignFlat(model.params, task.weights);
  const x = studentBatch(c, T, task);
  const K = c.head.prototypes;
  const inputs: StudentInputs = {
    ...x, dinoProbs: tf.tensor2d(task.dinoProbs, [2 * b, K]), ibotProbs: x.masks ? tf.tensor2d(task.ibotProbs, [x.maskedIndex.size, K]) : null,
  };
  try {
    const r = studentLossAndGrads(model, inputs, c, shardStream(c.seed, task.step, task.shard));
    const flat = packGrads(model.params, r.grads, task.gradsOut);
    tf.dispose([...r.grads.values()]);
    const out: ShardResult = { grads: flat.values, present: flat.present, dino: r.dino, ibot: r.ibot, koleo: r.koleo, total: r.total, studentEntropy: r.studentEntropy, ms: performance.now() - t0 };
    return task.gradsOut ? out : withTransfer(out, [flat.values.buffer as ArrayBuffer]);
  } finally {
    disposeInputs(inputs);
  }
}
