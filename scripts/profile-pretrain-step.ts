/**
 * Kernel profile of what ONE data-parallel worker does per pretraining step of a config — the teacher forward of its
 * shard and the student forward/backward of its shard — and of the main thread's update (clipping, AdamW, EMA), on the
 * active tfjs backend: CPU time per piece, `tf.profile` kernel CPU times grouped by kernel name (or by name and input
 * shapes), op counts. CPU time, not wall time: on a shared machine it is far less sensitive to other jobs.
 * Used to find where tfjs time goes (docs/pretrain.md, "Throughput").
 *
 *   npx ts-node --transpile-only scripts/profile-pretrain-step.ts [config.json] [--shards 2] [--steps 5] [--top 25]
 *     [--shapes]   group kernels by name and input shapes
 *     [--ab]       also time the pieces with the fused wasm kernels off (plain tfjs ops), interleaved
 *     [--off]      profile with the fused kernels off
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../lib/engine/backend';
import { setFusedKernels } from '../lib/engine/wasm-kernels';
import { loadPretrainConfig } from '../lib/pretrain/config';
import { loadPretrainImages } from '../lib/pretrain/data';
import { maskedPatchIndex } from '../lib/pretrain/ibot-loss';
import { disposeInputs, studentBatch, studentLossAndGrads } from '../lib/pretrain/student-step';
import { teacherLogits } from '../lib/pretrain/teacher-step';
import { PretrainRun } from '../lib/pretrain/trainer';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

async function main() {
  const info = await initBackend();
  const file = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : path.join(__dirname, '..', 'configs', 'pretrain', 'vit-nano-synthetic.json');
  const loaded = loadPretrainConfig(file);
  const shards = Number(arg('shards', '2')), steps = Number(arg('steps', '5')), top = Number(arg('top', '25'));
  const b = loaded.optim.batchSize / shards;
  const config = { ...loaded, optim: { ...loaded.optim, batchSize: b }, data: { ...loaded.data, count: b * 4 } };
  const images = await loadPretrainImages(config);
  const run = new PretrainRun(config, images);
  const c = run.config;
  const T = (c.crops.globalSize / run.student.config.patchSize) ** 2;

  /** One worker's step s (teacher shard + student shard), then the main thread's update; CPU ms of each piece. */
  const step = (s: number) => {
    const t0 = cpuMs();
    const x = studentBatch(c, T, run.prepareBatch(s));
    const idx = x.masks ? tf.tensor1d(maskedPatchIndex(x.masks.dataSync() as unknown as Uint8Array, 2 * b, T).indices, 'int32') : null;
    const t1 = cpuMs();
    const targets = run.targets(teacherLogits(run.teacherModel, x.global, idx), s);
    targets.dinoProbs.dataSync();
    const t2 = cpuMs();
    const inputs = { ...x, ...targets };
    const r = studentLossAndGrads(run.studentModel, inputs, c, run.stepRng(s));
    const t3 = cpuMs();
    run.applyGradients(r.grads, s);
    tf.dispose([...r.grads.values()]);
    disposeInputs(inputs);
    idx?.dispose();
    run.step = s + 1;
    return { crops: t1 - t0, teacher: t2 - t1, student: t3 - t2, update: cpuMs() - t3 };
  };
  const show = (label: string, rows: ReturnType<typeof step>[]) => {
    const keys = Object.keys(rows[0]) as (keyof ReturnType<typeof step>)[];
    console.log(`${label}: ${keys.map((k) => `${k} ${median(rows.map((r) => r[k])).toFixed(1)}`).join(', ')} ms CPU (median of ${rows.length})`);
  };
  step(run.step); // warm-up (kernel compilation, caches)
  if (process.argv.includes('--ab')) {
    const on: ReturnType<typeof step>[] = [], off: ReturnType<typeof step>[] = [];
    for (let i = 0; i < 2 * steps; i++) {
      setFusedKernels(i % 2 === 0);
      (i % 2 === 0 ? on : off).push(step(run.step));
    }
    show('fused kernels', on);
    show('plain tfjs   ', off);
  }
  setFusedKernels(!process.argv.includes('--off'));
  const rows: ReturnType<typeof step>[] = [];
  for (let i = 0; i < steps; i++) rows.push(step(run.step));
  show(`backend ${info.name}; ${b} images (1 of ${shards} shards)`, rows);

  // Kernel times in CPU time of this process.
  const backend = tf.backend() as unknown as { time(f: () => void): Promise<{ kernelMs: number }> };
  backend.time = async (f) => { const c0 = cpuMs(); f(); return { kernelMs: cpuMs() - c0 }; };
  const shapes = process.argv.includes('--shapes');
  const pieces: Record<string, Awaited<ReturnType<typeof tf.profile>>['kernels']> = { teacher: [], student: [], update: [] };
  {
    const s = run.step;
    const x = studentBatch(c, T, run.prepareBatch(s));
    const idx = x.masks ? tf.tensor1d(maskedPatchIndex(x.masks.dataSync() as unknown as Uint8Array, 2 * b, T).indices, 'int32') : null;
    let targets: ReturnType<PretrainRun['targets']> | undefined;
    pieces.teacher = (await tf.profile(() => { targets = run.targets(teacherLogits(run.teacherModel, x.global, idx), s); })).kernels;
    const inputs = { ...x, ...targets! };
    let r: ReturnType<typeof studentLossAndGrads> | undefined;
    pieces.student = (await tf.profile(() => { r = studentLossAndGrads(run.studentModel, inputs, c, run.stepRng(s)); })).kernels;
    pieces.update = (await tf.profile(() => { run.applyGradients(r!.grads, s); })).kernels;
    tf.dispose([...r!.grads.values()]);
    disposeInputs(inputs);
    idx?.dispose();
  }
  for (const [piece, kernels] of Object.entries(pieces)) {
    const by = new Map<string, { ms: number; n: number }>();
    for (const k of kernels) {
      if (!k.name) continue; // customGrad scopes: their kernels are listed themselves
      const key = shapes ? `${k.name} ${k.inputShapes.map((s: number[]) => `[${s}]`).join('x')}` : k.name;
      const e = by.get(key) ?? { ms: 0, n: 0 };
      e.ms += k.kernelTimeMs as number; e.n++;
      by.set(key, e);
    }
    const total = [...by.values()].reduce((a, e) => a + e.ms, 0);
    const n = [...by.values()].reduce((a, e) => a + e.n, 0);
    console.log(`-- ${piece}: ${n} kernels, ${total.toFixed(1)} ms kernel CPU time`);
    for (const [name, e] of [...by.entries()].sort((x, y) => y[1].ms - x[1].ms).slice(0, top)) {
      console.log(`${name.padEnd(shapes ? 60 : 24)} ${e.ms.toFixed(1).padStart(8)} ms ${String(e.n).padStart(6)} ops ${((100 * e.ms) / total).toFixed(1).padStart(5)} %`);
    }
  }
  run.dispose();
}

main().catch((e) => { console.error(e); process.exit(1); });
