/**
 * Embedding in N worker threads, each holding its own copy of the encoder (opened from `encoder.recipe`) with ONE
 * ONNX Runtime intra-op thread: every batch is cut into N contiguous sub-batches, embedded in parallel, and joined back
 * in order, so the output equals the single-session path. onnxruntime-node 1.30 runs `session.run` synchronously on
 * the calling thread (inside a setImmediate), so two sessions in one thread do not overlap — and neither does that
 * thread's image decoding: parallel sessions need worker_threads, which also leave the main thread free to decode.
 * Why: on small ViTs (64 px, ≤ 128-wide matmuls) each ONNX op is too small for two intra-op threads to share well,
 * whereas two independent single-threaded sessions need no per-op fork/join (lib/bench/vit.ts `onnx2w_*` vs `onnx_*`;
 * figures and caveats in docs/eval.md §1).
 *
 * @example
 * const pool = await createEmbedPool(encoder, 2);
 * const out = await pool.embed(pixels, 32, { blocks: [3] });   // same EncoderOutput as encoder.embed
 * await pool.close();
 */
import * as path from 'path';
import { defaultPoolSize, WorkerPool } from '../engine/worker-pool';
import type { Encoder, EncoderOutput } from './encoder';
import type { EmbedTask } from './extract-worker';

export interface EmbedPool {
  readonly workers: number;
  embed(pixels: Float32Array, batch: number, opts?: { blocks?: number[] }): Promise<EncoderOutput>;
  close(): Promise<void>;
}

/** Concatenates encoder outputs of consecutive sub-batches along the batch axis. */
export function concatOutputs(parts: readonly EncoderOutput[]): EncoderOutput {
  if (parts.length === 1) return parts[0];
  const { dim, gridH, gridW } = parts[0];
  const batch = parts.reduce((s, p) => s + p.batch, 0);
  const cat = (pick: (p: EncoderOutput) => Float32Array) => {
    const out = new Float32Array(parts.reduce((s, p) => s + pick(p).length, 0));
    let off = 0;
    for (const p of parts) { out.set(pick(p), off); off += pick(p).length; }
    return out;
  };
  const out: EncoderOutput = { batch, dim, gridH, gridW, cls: cat((p) => p.cls), patches: cat((p) => p.patches) };
  if (parts[0].blocks) out.blocks = new Map([...parts[0].blocks.keys()].map((k) => [k, cat((p) => p.blocks!.get(k)!)]));
  return out;
}

/** Starts `workers` threads each opening `encoder.recipe` with `threadsPerWorker` intra-op threads. */
export async function createEmbedPool(encoder: Encoder, workers: number, threadsPerWorker = 1): Promise<EmbedPool> {
  if (!encoder.recipe) throw new Error(`createEmbedPool: encoder ${encoder.name} has no recipe to open it in a worker (only ONNX and random-projection encoders do)`);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`createEmbedPool: invalid workers: ${workers}`);
  const ext = __filename.endsWith('.ts') ? '.ts' : '.js';
  const pool = new WorkerPool({ module: path.join(__dirname, `extract-worker${ext}`), size: workers, workerData: { recipe: encoder.recipe, threads: threadsPerWorker } });
  try {
    await pool.ready();
  } catch (e) {
    await pool.close();
    throw e;
  }
  const per = encoder.channels * encoder.inputSize * encoder.inputSize;
  return {
    workers,
    async embed(pixels, batch, opts = {}) {
      if (pixels.length !== batch * per) throw new Error(`embed pool (${encoder.name}): got ${pixels.length} values for batch ${batch} × ${per}`);
      // contiguous shares, the first ones one larger: [0, s1), [s1, s2), …
      const n = Math.min(workers, batch);
      const bounds = Array.from({ length: n + 1 }, (_, i) => i * Math.floor(batch / n) + Math.min(i, batch % n));
      const tasks: EmbedTask[] = [];
      for (let i = 0; i < n; i++) tasks.push({ pixels: pixels.slice(bounds[i] * per, bounds[i + 1] * per), batch: bounds[i + 1] - bounds[i], blocks: opts.blocks });
      const parts = await pool.map<EncoderOutput>(tasks, tasks.map((t) => [t.pixels.buffer as ArrayBuffer]));
      return concatOutputs(parts);
    },
    close: () => pool.close(),
  };
}

/**
 * Default worker count of an extraction: 2 single-threaded ONNX sessions (one per core) once the job is large enough to
 * repay the pool's start-up (~0.2 s from dist/, ~1 s under ts-node, plus one session per worker), else 1 session with
 * 2 intra-op threads. Measured on an idle 2-core machine, 2026-11-29 (`raydino bench --only vit`, full profile), 2 workers
 * × 1 thread vs 1 session × 2 threads: 1.79× (vit_nano @64), 1.64× (vit_micro @64), 1.25× (ViT-S/16 @224) — small
 * models gain most (two independent sessions need no per-op fork/join) but embed thousands of images a second, so they
 * need AUTO_WORKERS_MIN_IMAGES; wider ones (≥ AUTO_WORKERS_MAX_DIM, or a user .onnx of unknown width) embed tens a second
 * and need only AUTO_WORKERS_MIN_IMAGES_LARGE. Only ONNX encoders (they carry a recipe).
 */
export const AUTO_WORKERS_MAX_DIM = 256;
export const AUTO_WORKERS_MIN_IMAGES = 4096;
/** Job size from which wider models (ViT-S and up, or a user .onnx of unknown width) get 2 workers: they embed tens of images a second, so the pool's start-up is paid back within a few hundred. */
export const AUTO_WORKERS_MIN_IMAGES_LARGE = 256;

export function autoWorkers(encoder: Encoder, images: number): number {
  const cores = defaultPoolSize();
  if (encoder.recipe?.kind !== 'onnx' || cores < 2) return 1;
  // dim 0 = a user's .onnx whose width is only known after the first batch: assume a large model
  const small = encoder.dim > 0 && encoder.dim < AUTO_WORKERS_MAX_DIM;
  return images >= (small ? AUTO_WORKERS_MIN_IMAGES : AUTO_WORKERS_MIN_IMAGES_LARGE) ? 2 : 1;
}
