/**
 * Data-parallel DINOv2 pretraining over worker_threads (`train.workers = N ≥ 2`, and/or `train.shards = S` shards per
 * step for gradient accumulation), after dinov2 under torch DDP.
 * tfjs-wasm's own threads do not start in Node, so the second core is only reachable through a worker thread.
 *
 * One step s:
 *   1. main thread: the step's batch exactly as with one process (`PretrainRun.prepareBatch`: the data of a step does not
 *      depend on N; built while the previous step's shards run);
 *   2. teacher: each worker runs the teacher forward of its shard (`train.teacher` 'sharded', the default; or the whole batch on the
 *      main thread, `'main'`), the logits are gathered and Sinkhorn-Knopp / centring runs over the WHOLE batch on the main
 *      thread (dinov2 all-reduces these statistics across ranks; the centre EMA is updated once, with the full-batch mean);
 *   3. N shards (`shard-worker.ts`; N = train.shards, else train.workers; more shards than workers queue), one shard of
 *      B/N images each, with the current student weights: student forward +
 *      backward of the shard's 2 global + nL local crops, losses as dinov2 computes them on one rank (DINO: mean over the
 *      shard's images and crop pairs; iBOT: per-image mean over its masked patches, / the shard's images; KoLeo: over the
 *      shard's images, per global crop — KoLeo's neighbours are searched within a shard, as on a dinov2 rank);
 *   4. all-reduce: gradients averaged with weights b/B in shard order (DDP's mean; = the full-batch gradient for DINO and
 *      iBOT), then ONE update on the main thread with `PretrainRun.applyGradients` (per-module clipping, AdamW, EMA teacher);
 *      the next step's tasks carry the new weights, so every replica starts each step from the same weights.
 * Drop-path of shard k draws from `shardStream(seed, s, k)`; a run is a pure function of (config incl. shards, step), and
 * checkpoints / resume are PretrainRun's (workers hold no state).
 *
 * @example
 * const dp = await DataParallelRun.create(config, images);   // config.train.workers = 2
 * try { for (let s = 0; s < 10; s++) console.log(await dp.trainStep()); } finally { await dp.close(); }
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../engine/backend';
import { WorkerPool } from '../engine/worker-pool';
import { GreyImage } from '../data/types';
import { PretrainConfig, shardCount } from './config';
import { allReduceGrads, flatLayout, packParams } from './flat-params';
import { maskedPatchIndex } from './ibot-loss';
import { gatherRows } from '../engine/rows';
import { checkShards, ShardGeometry, shardData, shardMaskedRows, shardRows, scatterRows } from './shard';
import type { ShardResult, ShardTask, ShardWorkerData, TeacherShardResult, TeacherShardTask } from './shard-worker';
import { PretrainRun, StepGradients, StepRecord, TeacherTargets } from './trainer';
import type { TeacherLogits } from './teacher-step';

/**
 * Where the teacher forward runs: 'main' (whole batch on the main thread while the workers wait) or 'sharded' (each
 * worker runs its shard's teacher forward; the logits are gathered for whole-batch centring / Sinkhorn-Knopp). With
 * `head.inputNorm` 'none' both give the same targets up to float rounding; with 'batch' the teacher head's BatchNorm
 * sees the rows of whoever runs it — one shard ('sharded', as a DDP rank without SyncBN) or the whole batch ('main') —
 * so the targets differ (test/pretrain/replica.test.ts pins 'sharded' to a PyTorch replica). See docs/pretrain.md.
 */
export type TeacherPlacement = 'main' | 'sharded';

/** Milliseconds of one data-parallel step by phase. */
export interface StepPhases {
  /** Crops + masks (0 when built while the previous step's shards ran). */
  prepare: number;
  /** Teacher forward (main thread or sharded round trip), centring / Sinkhorn-Knopp, reading the targets. */
  teacher: number;
  /** Packing weights, slicing shards, waiting for the student shards (the rest of the wait is the next batch's crops). */
  student: number;
  /** The slowest worker's own forward/backward time (student − this = transfers, queueing, the main thread's prefetch). */
  studentCompute: number;
  allReduce: number;
  /** Clipping, AdamW, EMA. */
  update: number;
}

type PreparedBatch = ReturnType<PretrainRun['prepareBatch']>;

export interface DataParallelOptions {
  /** Teacher placement (default `config.train.teacher`). */
  teacher?: TeacherPlacement;
  /** Workers (default `config.train.workers`; also the shard count when `config.train.shards` is null). */
  workers?: number;
  /** tfjs backend of the workers (default: the main thread's). */
  backend?: BackendName;
}

export class DataParallelRun {
  private closed = false;
  private prefetched?: { step: number; batch: PreparedBatch };
  /** Where the last step's wall time went (main thread's view), for benchmarks. */
  phases?: StepPhases;

  /**
   * Flat student / teacher weights and one gradient buffer per shard, on SharedArrayBuffers reused every step: tasks
   * carry views of them instead of fresh copies (megabytes of short-lived buffers per step kept the main thread's
   * garbage collector busy on the cores the workers need).
   */
  private readonly shared: { student: Float32Array; teacher: Float32Array; grads: Float32Array[] };

  private constructor(
    readonly run: PretrainRun, readonly pool: WorkerPool, readonly workers: number, readonly shards: number, readonly teacher: TeacherPlacement,
  ) {
    const n = flatLayout(run.studentParams).total;
    const buf = () => new Float32Array(new SharedArrayBuffer(4 * n));
    this.shared = { student: buf(), teacher: buf(), grads: Array.from({ length: shards }, buf) };
  }

  /** Starts the run's state on the main thread and N workers holding student replicas (resolves when they are ready). */
  static async create(config: PretrainConfig, images: GreyImage[], opts: DataParallelOptions = {}): Promise<DataParallelRun> {
    const n = opts.workers ?? config.train.workers;
    const { shards, setting } = shardCount(config, n);
    checkShards(config.optim.batchSize, shards, config.dino.koleoLossWeight > 0, setting);
    const run = new PretrainRun(config, images);
    const { keys, sizes } = flatLayout(run.studentParams);
    const workerData: ShardWorkerData = { config, keys, sizes };
    const pool = new WorkerPool({
      module: path.join(__dirname, `shard-worker${path.extname(__filename)}`), size: n, workerData,
      backend: opts.backend ?? (tf.getBackend() as BackendName),
    });
    try {
      await pool.ready();
    } catch (e) {
      run.dispose();
      await pool.close();
      throw e;
    }
    return new DataParallelRun(run, pool, n, shards, opts.teacher ?? config.train.teacher);
  }

  /** Next step to run. */
  get step(): number {
    return this.run.step;
  }

  /**
   * Loss and all-reduced student gradients of step s (teacher targets over the whole batch, student shards in the
   * workers). Gradients are new tensors owned by the caller; `losses` are means over shards.
   */
  async stepGradients(s: number): Promise<StepGradients> {
    const run = this.run;
    const c = run.config;
    const N = this.shards;
    const B = c.optim.batchSize, G = c.crops.globalSize;
    const geometry = this.geometry();
    const t = this.timer();
    const batch = this.prefetched?.step === s ? this.prefetched.batch : run.prepareBatch(s);
    const prepare = t();
    this.prefetched = undefined;
    const { indices } = maskedPatchIndex(batch.masks, 2 * B, geometry.tokens);
    const useIbot = c.ibot.lossWeight > 0 && indices.length > 0;
    let targets: TeacherTargets;
    if (this.teacher === 'sharded') {
      targets = run.targets(await this.shardedTeacherLogits(batch, useIbot, indices.length), s);
    } else {
      const gT = tf.tensor4d(batch.global, [2 * B, 1, G, G]);
      const idxT = useIbot ? tf.tensor1d(indices, 'int32') : null;
      targets = run.teacherTargets(gT, idxT, s);
      gT.dispose();
      idxT?.dispose();
    }
    const dinoProbs = targets.dinoProbs.dataSync() as Float32Array;
    const teacher = t();
    const ibotProbs = (targets.ibotProbs?.dataSync() ?? new Float32Array(0)) as Float32Array;
    targets.dinoProbs.dispose();
    targets.ibotProbs?.dispose();
    const weights = packParams(run.studentParams, this.shared.student);
    const data = { ...batch, dinoProbs, ibotProbs };
    const tasks: ShardTask[] = Array.from({ length: N }, (_, k) => ({ step: s, shard: k, weights, gradsOut: this.shared.grads[k], ...shardData(data, geometry, k) }));
    const pending = this.pool.map<ShardResult>(tasks);
    // The main thread is idle until the shards return: build the next step's crops meanwhile (a pure function of s + 1).
    if (s + 1 < c.optim.steps) this.prefetched = { step: s + 1, batch: run.prepareBatch(s + 1) };
    const results = await pending;
    const student = t();
    const w = Array<number>(N).fill(1 / N); // equal shards: DDP's mean over ranks
    const grads = allReduceGrads(run.studentParams, results.map((r) => ({ values: r.grads, present: r.present })), w);
    const mean = (f: (r: ShardResult) => number) => results.reduce((a, r, k) => a + w[k] * f(r), 0);
    this.phases = { prepare, teacher, student, studentCompute: Math.max(...results.map((r) => r.ms)), allReduce: t(), update: 0 };
    return {
      grads,
      losses: { dino: mean((r) => r.dino), ibot: mean((r) => r.ibot), koleo: mean((r) => r.koleo), total: mean((r) => r.total), studentEntropy: mean((r) => r.studentEntropy) },
      masked: indices.length, health: targets.health,
    };
  }

  /** Milliseconds since the previous call (first call: since creation). */
  private timer(): () => number {
    let last = performance.now();
    return () => { const now = performance.now(); const d = now - last; last = now; return d; };
  }

  private geometry(): ShardGeometry {
    const c = this.run.config;
    const G = c.crops.globalSize, L = c.crops.localSize;
    return {
      batch: c.optim.batchSize, shards: this.shards, nLocal: c.crops.nLocal, globalSize: G * G, localSize: L * L,
      tokens: (G / this.run.student.config.patchSize) ** 2, prototypes: c.head.prototypes,
    };
  }

  /** Teacher logits of the whole batch, computed shard by shard in the workers and gathered in whole-batch order. */
  private async shardedTeacherLogits(batch: PreparedBatch, useIbot: boolean, masked: number): Promise<TeacherLogits> {
    const g = this.geometry();
    const N = this.shards, K = g.prototypes;
    const weights = packParams(this.run.teacherParams, this.shared.teacher);
    const rows = Array.from({ length: N }, (_, k) => shardRows(g.batch, N, k, 2));
    const tasks: TeacherShardTask[] = rows.map((r) => ({
      kind: 'teacher', weights, ibot: useIbot, global: gatherRows(batch.global, g.globalSize, r), masks: gatherRows(batch.masks, g.tokens, r),
    }));
    const results = await this.pool.map<TeacherShardResult>(tasks);
    const D = this.run.teacher.config.dim;
    const dino = new Float32Array(2 * g.batch * K);
    const ibot = new Float32Array(masked * K);
    const cls = new Float32Array(2 * g.batch * D);
    results.forEach((r, k) => {
      scatterRows(dino, K, rows[k], r.dino);
      scatterRows(cls, D, rows[k], r.cls);
      if (useIbot) scatterRows(ibot, K, shardMaskedRows(batch.masks, g, k), r.ibot);
    });
    return {
      dinoLogits: tf.tensor2d(dino, [2 * g.batch, K]), ibotLogits: useIbot ? tf.tensor2d(ibot, [masked, K]) : null, cls: tf.tensor2d(cls, [2 * g.batch, D]),
    };
  }

  /** One data-parallel optimisation step; the same log record as `PretrainRun.trainStep`. */
  async trainStep(): Promise<StepRecord> {
    if (this.closed) throw new Error('DataParallelRun: trainStep after close');
    const t0 = Date.now();
    const s = this.run.step;
    const g = await this.stepGradients(s);
    const t = this.timer();
    const gradNorm = this.run.applyGradients(g.grads, s);
    if (this.phases) this.phases.update = t();
    tf.dispose([...g.grads.values()]);
    return this.run.record(s, g.losses, g.health, gradNorm, g.masked, (Date.now() - t0) / 1000);
  }

  /** Terminates the workers and frees the main thread's tensors. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.pool.close();
    } finally {
      this.run.dispose();
    }
  }
}
