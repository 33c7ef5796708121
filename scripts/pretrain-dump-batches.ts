/**
 * Writes the exact inputs of every step of a pretraining config — the global crops and iBOT masks that
 * `PretrainRun.prepareBatch(s)` builds — so that scripts/torch-pretrain-replica.py can train a PyTorch replica on the very
 * batches the tfjs trainer saw. Any difference in the two runs' frozen probes is then the trainers', not the data's.
 *
 *   npx ts-node --transpile-only scripts/pretrain-dump-batches.ts configs/pretrain/vit-nano-synthetic.json OUT_DIR [--steps N] [--float32]
 *
 * OUT_DIR/global.f16: float16, [steps, 2·B, G, G] (crop-major within a step, normalised as the student sees them);
 * OUT_DIR/masks.u8: [steps, 2·B, T] (1 = masked); OUT_DIR/init.safetensors: the run's initial student (backbone in
 * dinov2 keys and PyTorch layout, heads with PyTorch's [out, in] Linear weights), so the replica starts where the tfjs
 * run started; OUT_DIR/meta.json: the shapes and the resolved config.
 * Local crops are not written: a config with crops.nLocal > 0 is refused (the replica does not model them).
 */
import * as fs from 'fs';
import * as path from 'path';
import { float32ToFloat16 } from '../lib/io/float16';
import { NdArray } from '../lib/io/dtype';
import { writeSafetensors } from '../lib/io/safetensors';
import { stateDict } from '../lib/models/weights';
import { headParams } from '../lib/pretrain/heads';
import { loadPretrainConfig } from '../lib/pretrain/config';
import { loadPretrainImages } from '../lib/pretrain/data';
import { PretrainRun } from '../lib/pretrain/trainer';
import { initBackend } from '../lib/engine/backend';

async function main(): Promise<void> {
  const [configFile, out] = process.argv.slice(2);
  if (!configFile || !out) throw new Error('usage: pretrain-dump-batches.ts CONFIG OUT_DIR [--steps N] [--float32]');
  const i = process.argv.indexOf('--steps');
  const config = loadPretrainConfig(configFile);
  if (config.crops.nLocal > 0) throw new Error(`${configFile}: crops.nLocal ${config.crops.nLocal} > 0; the replica takes global crops only`);
  const steps = i >= 0 ? Number(process.argv[i + 1]) : config.optim.steps;
  // float32 crops (4 GB per 1,000 steps of vit-nano-synthetic) for checking the replica's first steps to float32 precision
  const f32 = process.argv.includes('--float32');
  await initBackend();
  const images = await loadPretrainImages(config);
  const run = new PretrainRun(config, images);
  fs.mkdirSync(out, { recursive: true });
  const init = stateDict(run.student);
  for (const [k, p] of headParams(run.studentHeads)) {
    const data = p.dataSync() as Float32Array;
    if (p.shape.length !== 2) { init.set(k, { dtype: 'float32', shape: p.shape, data }); continue; }
    const [r, c] = p.shape; // tfjs [in, out] → torch [out, in]
    const t = new Float32Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = data[i * c + j];
    init.set(k, { dtype: 'float32', shape: [c, r], data: t } as NdArray);
  }
  writeSafetensors(path.join(out, 'init.safetensors'), init);
  const g = fs.openSync(path.join(out, f32 ? 'global.f32' : 'global.f16'), 'w');
  const m = fs.openSync(path.join(out, 'masks.u8'), 'w');
  const t0 = Date.now();
  for (let s = 0; s < steps; s++) {
    const b = run.prepareBatch(s);
    fs.writeSync(g, f32 ? b.global : float32ToFloat16(b.global));
    fs.writeSync(m, b.masks);
    if ((s + 1) % 250 === 0 || s + 1 === steps) console.error(`step ${s + 1}/${steps}, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  fs.closeSync(g);
  fs.closeSync(m);
  const G = config.crops.globalSize;
  const dtype = f32 ? 'float32' : 'float16';
  const T = (G / run.student.config.patchSize) ** 2;
  fs.writeFileSync(path.join(out, 'meta.json'), JSON.stringify({ steps, dtype, batch: config.optim.batchSize, globalSize: G, tokens: T, config, vit: run.student.config }, null, 1) + '\n');
  run.dispose();
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
