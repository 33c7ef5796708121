/**
 * Engine benchmarks: square matmul GFLOP/s on the selected tfjs backend (in process), and worker_threads scaling
 * (the same total matmul work on 1 and 2 workers, each worker with its own wasm backend). Reference figures on a
 * 2-core machine: tfjs wasm 1024³ ≈ 20–45 GFLOP/s, 2 workers ≈ 1.8× (docs/bench.md keeps the measured tables).
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { getProfile } from '../config/profiles';
import { initBackend } from '../engine/backend';
import { WorkerPool } from '../engine/worker-pool';

export interface MatmulRow { size: number; repeats: number; seconds: number; gflops: number; backend: string }
export interface ScalingRow { workers: number; tasks: number; size: number; seconds: number; gflops: number; speedup: number }

/** FLOPs of an n×n by n×n matmul (multiply-adds counted as 2). */
export function matmulFlops(n: number): number {
  return 2 * n * n * n;
}

/** Times `repeats` n×n matmuls per size on the current backend (after one warm-up); median-free: total time. */
export async function benchMatmul(sizes: number[], repeats: number): Promise<MatmulRow[]> {
  const info = await initBackend();
  const rows: MatmulRow[] = [];
  for (const n of sizes) {
    const [a, b] = tf.tidy(() => [tf.randomUniform([n, n], -1, 1, 'float32', 1), tf.randomUniform([n, n], -1, 1, 'float32', 2)] as tf.Tensor2D[]);
    const once = () => { const c = tf.matMul(a, b); c.dataSync(); c.dispose(); };
    once();   // warm-up: kernel compilation, memory growth
    const t0 = performance.now();
    for (let r = 0; r < repeats; r++) once();
    const seconds = (performance.now() - t0) / 1000;
    a.dispose(); b.dispose();
    rows.push({ size: n, repeats, seconds, gflops: (repeats * matmulFlops(n)) / seconds / 1e9, backend: info.name });
  }
  return rows;
}

const MATMUL_WORKER = path.join(__dirname, '..', 'engine', `matmul-worker${path.extname(__filename)}`);

/**
 * The same total work — `tasks` tasks of one n×n matmul — on pools of each size in `workers`. Pool start-up and a
 * warm-up round are excluded. `speedup` is relative to the first pool size.
 */
export async function benchWorkerScaling(opts: { workers: number[]; tasks: number; size: number }): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = [];
  for (const w of opts.workers) {
    const pool = new WorkerPool({ module: MATMUL_WORKER, size: w, backend: 'wasm' });
    try {
      await pool.ready();
      await pool.broadcast({ n: opts.size, repeats: 1 });   // warm-up on every worker
      const t0 = performance.now();
      await pool.map(Array.from({ length: opts.tasks }, () => ({ n: opts.size, repeats: 1 })));
      const seconds = (performance.now() - t0) / 1000;
      rows.push({ workers: w, tasks: opts.tasks, size: opts.size, seconds, gflops: (opts.tasks * matmulFlops(opts.size)) / seconds / 1e9, speedup: 1 });
    } finally {
      await pool.close();
    }
  }
  for (const r of rows) r.speedup = rows[0].seconds / r.seconds;
  return rows;
}

/** The `engine` bench section: backend, GFLOP/s per matmul size, 1 vs 2 worker seconds and speedup. */
export async function benchEngine(opts: { quick: boolean }): Promise<Record<string, number | string>> {
  const p = getProfile(opts.quick ? 'quick' : 'full').bench;
  const info = await initBackend();
  const out: Record<string, number | string> = { backend: info.name, simd: String(info.simd) };
  for (const r of await benchMatmul(p.matmulSizes, p.repeats)) out[`matmul${r.size}_gflops`] = round(r.gflops);
  const scaling = await benchWorkerScaling({ workers: [1, 2], tasks: p.workerTasks, size: p.workerMatmulSize });
  for (const r of scaling) out[`workers${r.workers}_seconds`] = round(r.seconds, 3);
  out.worker_speedup = round(scaling[1].speedup, 2);
  return out;
}

function round(x: number, d = 1): number {
  const k = 10 ** d;
  return Math.round(x * k) / k;
}
