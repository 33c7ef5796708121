/**
 * Kernel profile of what ONE data-parallel worker does per pretraining step of a config (the half-batch teacher forward +
 * student forward/backward), plus the main thread's update, on the active tfjs backend: `tf.profile` kernel times grouped
 * by kernel name, op counts, and wall times of the pieces. Used to find where tfjs time goes (docs/pretrain.md, "Throughput").
 *
 *   npx ts-node --transpile-only scripts/profile-pretrain-step.ts [config.json] [--shards 2] [--steps 3] [--top 25] [--shapes]
 *     [--ab]    first time steps with the fused wasm kernels on and off, interleaved (CPU time per step)
 *     [--off]   profile plain tfjs ops (RAYDINO_FUSED_KERNELS=0)
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../lib/engine/backend';
import { setFusedKernels } from '../lib/engine/wasm-kernels';
import { loadPretrainConfig } from '../lib/pretrain/config';
import { loadPretrainImages } from '../lib/pretrain/data';
import { PretrainRun } from '../lib/pretrain/trainer';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

async function main() {
  const info = await initBackend();
  const file = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : path.join(__dirname, '..', 'configs', 'pretrain', 'vit-nano-synthetic.json');
  const loaded = loadPretrainConfig(file);
  const shards = Number(arg('shards', '2')), steps = Number(arg('steps', '3')), top = Number(arg('top', '25'));
  const b = loaded.optim.batchSize / shards;
  const config = { ...loaded, optim: { ...loaded.optim, batchSize: b }, data: { ...loaded.data, count: b * 4 } };
  const images = await loadPretrainImages(config);
  const run = new PretrainRun(config, images);
  const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  // A/B: the fused wasm kernels on and off, interleaved step by step (CPU time: less sensitive to other load)
  if (process.argv.includes('--ab')) {
    const t: Record<string, number[]> = { on: [], off: [] };
    for (let i = 0; i < 2 * steps + 2; i++) {
      const on = i % 2 === 0;
      setFusedKernels(on);
      const c0 = cpuMs();
      run.trainStep();
      if (i >= 2) t[on ? 'on' : 'off'].push(cpuMs() - c0);
    }
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    console.log(`CPU ms per step, median of ${steps}: fused ${med(t.on).toFixed(0)} (${t.on.map((x) => x.toFixed(0)).join(' ')}), plain tfjs ${med(t.off).toFixed(0)} (${t.off.map((x) => x.toFixed(0)).join(' ')})`);
    setFusedKernels(!process.argv.includes('--off'));
  }
  if (process.argv.includes('--off')) setFusedKernels(false);
  run.trainStep(); // warm-up
  const walls: number[] = [];
  const cpus: number[] = [];
  let prof: tf.ProfileInfo | undefined;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now(), c0 = cpuMs();
    if (i === steps - 1) prof = await tf.profile(() => { run.trainStep(); });
    else run.trainStep();
    walls.push(performance.now() - t0);
    cpus.push(cpuMs() - c0);
  }
  const by = new Map<string, { ms: number; n: number }>();
  for (const k of prof!.kernels) {
    const e = by.get(k.name) ?? { ms: 0, n: 0 };
    e.ms += k.kernelTimeMs as number; e.n++;
    by.set(k.name, e);
  }
  const total = [...by.values()].reduce((a, e) => a + e.ms, 0);
  const n = prof!.kernels.length;
  console.log(`backend ${info.name}; ${b} images (1 of ${shards} shards); wall per step (unprofiled) ${walls.slice(0, -1).map((w) => w.toFixed(0)).join(', ')} ms, CPU ${cpus.slice(0, -1).map((w) => w.toFixed(0)).join(', ')} ms`);
  console.log(`kernels ${n}, kernel time ${total.toFixed(1)} ms; newTensors ${prof!.newTensors}, peakBytes ${prof!.peakBytes}`);
  for (const [name, e] of [...by.entries()].sort((x, y) => y[1].ms - x[1].ms).slice(0, top)) {
    console.log(`${name.padEnd(24)} ${e.ms.toFixed(1).padStart(8)} ms ${String(e.n).padStart(6)} ops ${((100 * e.ms) / total).toFixed(1).padStart(5)} %`);
  }
  if (process.argv.includes('--shapes')) {
    const sh = new Map<string, { ms: number; n: number }>();
    for (const k of prof!.kernels) {
      if (k.name !== 'BatchMatMul' && k.name !== '_FusedMatMul' && k.name !== 'Transpose') continue;
      const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join('x')}`;
      const e = sh.get(key) ?? { ms: 0, n: 0 };
      e.ms += k.kernelTimeMs as number; e.n++;
      sh.set(key, e);
    }
    for (const [name, e] of [...sh.entries()].sort((x, y) => y[1].ms - x[1].ms).slice(0, 40)) {
      console.log(`${name.padEnd(48)} ${e.ms.toFixed(1).padStart(8)} ms ${String(e.n).padStart(6)} ops`);
    }
  }
  run.dispose();
}

main().catch((e) => { console.error(e); process.exit(1); });
