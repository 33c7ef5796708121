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
import * as os from 'os';
import * as path from 'path';
import { WorkerPool } from '../engine/worker-pool';
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
 * Default worker count of an extraction: 2 single-threaded ONNX sessions (one per core) for small models on large
 * jobs, else 1 session with 2 intra-op threads. Small = narrower than AUTO_WORKERS_MAX_DIM (vit_nano 96, vit_micro 128):
 * their matmuls are too small for two intra-op threads to share well (1×2 threads measured 0.7–1.6× of 1×1 on vit_nano),
 * whereas two independent sessions need no per-op fork/join. Large job = at least AUTO_WORKERS_MIN_IMAGES to embed: the
 * pool costs ~0.2 s to start from dist/ (~1 s under ts-node) and a small model embeds a few thousand images a second, so
 * below that the start-up eats the gain. Only ONNX encoders (they carry a recipe). The shared 2-core box was saturated
 * while this was measured (docs/eval.md §1): re-check with `raydino bench --only vit` (onnx_* vs onnx2w_*) on an idle one.
 */
export const AUTO_WORKERS_MAX_DIM = 256;
export const AUTO_WORKERS_MIN_IMAGES = 4096;

export function autoWorkers(encoder: Encoder, images: number): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (encoder.recipe?.kind !== 'onnx' || cores < 2 || images < AUTO_WORKERS_MIN_IMAGES) return 1;
  // dim 0 = a user's .onnx whose width is only known after the first batch: assume a large model
  return encoder.dim > 0 && encoder.dim < AUTO_WORKERS_MAX_DIM ? 2 : 1;
}
