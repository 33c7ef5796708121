/**
 * int8 vs fp32 ONNX extraction, measured (docs/bench.md §int8): for the embedded vit-nano-synthetic checkpoint, the frozen
 * linear probe (lib/pretrain/probe: CLS ‖ mean patch, ridge, λ on val) on a fresh labelled synthetic set with both
 * precisions, the macro AUROC difference with a paired bootstrap 95 % CI over test images, the token cosines; then
 * throughput (img/s, 1 ONNX Runtime session, 2 threads, best of 5 calls) of vit_nano at 64 px batch 64 and, with
 * --vits, ViT-S/16 at 224 px batch 32 (random init).
 *   npx ts-node --transpile-only scripts/int8-measure.ts [--vits] [--n 1500]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadSynthetic } from '../lib/data/synthetic';
import { FINDING_NAMES } from '../lib/data/synthetic/catalogue';
import { initBackend } from '../lib/engine/backend';
import { createRng } from '../lib/engine/rng';
import { createOnnxEncoder } from '../lib/features/onnx-encoder';
import type { Encoder } from '../lib/features/encoder';
import type { OnnxPrecision } from '../lib/config/encoder-precision';
import { exportViTToOnnx } from '../lib/models/onnx-export';
import { createViT } from '../lib/models/registry';
import { loadViT } from '../lib/models/weights';
import { labelsOf, probeFeatures, ridgeScores } from '../lib/pretrain/probe';
import { resizeCrop } from '../lib/pretrain/multi-crop';
import { macroAuroc } from '../lib/stats/macro';
import type { SampleTable } from '../lib/data/types';
import type { ViT } from '../lib/models/vit';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-int8m-'));

async function open(vit: ViT, size: number, p: OnnxPrecision, channels?: 1 | 3): Promise<Encoder> {
  const file = path.join(dir, `${vit.config.name}-${size}-${p}.onnx`);
  fs.writeFileSync(file, exportViTToOnnx(vit, { height: size, width: size, precision: p, channels }));
  return createOnnxEncoder({ path: file, intraOpNumThreads: 2 });
}

async function throughput(enc: Encoder, batch: number): Promise<number> {
  const rng = createRng(0);
  const x = Float32Array.from({ length: batch * enc.channels * enc.inputSize * enc.inputSize }, () => rng.normal());
  await enc.embed(x, batch);
  let best = Infinity;
  for (let i = 0; i < 5; i++) { const t = performance.now(); await enc.embed(x, batch); best = Math.min(best, performance.now() - t); }
  return batch / (best / 1000);
}

async function features(enc: Encoder, table: SampleTable, ids: string[]): Promise<Float32Array> {
  const S = enc.inputSize, D = enc.dim, out = new Float32Array(ids.length * 2 * D);
  for (let s = 0; s < ids.length; s += 64) {
    const part = ids.slice(s, s + 64);
    const px = new Float32Array(part.length * S * S);
    for (let i = 0; i < part.length; i++) {
      const img = await table.loadImage(part[i]);
      const r = resizeCrop(img, { top: 0, left: 0, h: img.height, w: img.width }, S);
      for (let j = 0; j < r.length; j++) px[i * S * S + j] = (r[j] - enc.mean[0]) / enc.std[0];
    }
    const o = await enc.embed(px, part.length);
    const T = o.gridH * o.gridW;
    for (let i = 0; i < part.length; i++) {
      out.set(o.cls.subarray(i * D, (i + 1) * D), (s + i) * 2 * D);
      for (let t = 0; t < T; t++) for (let j = 0; j < D; j++) out[(s + i) * 2 * D + D + j] += o.patches[(i * T + t) * D + j] / T;
    }
  }
  return out;
}

async function main(): Promise<void> {
  await initBackend();
  const argv = process.argv.slice(2);
  const n = argv.includes('--n') ? Number(argv[argv.indexOf('--n') + 1]) : 1500;
  const result: Record<string, unknown> = { cpu: os.cpus()[0]?.model, note: 'machine under load (a pretraining run shares the cores)' };
  const nano = loadViT(path.join(__dirname, '..', 'checkpoints', 'vit-nano-synthetic', 'model.safetensors'));
  const enc = { fp32: await open(nano, 64, 'fp32'), int8: await open(nano, 64, 'int8') };
  result.vit_nano_64_b64 = { fp32: await throughput(enc.fp32, 64), int8: await throughput(enc.int8, 64) };
  console.error(JSON.stringify(result));
  if (argv.includes('--vits')) {
    const vits = createViT('vit_small', {}, 0);
    const r: Record<string, number> = {};
    for (const p of ['fp32', 'int8'] as const) {
      const e = await open(vits, 224, p, 3);
      r[p] = await throughput(e, 32);
      await e.dispose();
      console.error(JSON.stringify({ vit_small_224_b32: r }));
    }
    result.vit_small_224_b32 = r;
    vits.dispose();
  }
  // as probeCheckpoint: a seed the pretraining never saw, 60/20/20, findings with ≥ 10 test positives
  const full = await loadSynthetic({ variant: 'cxr', n, size: 128, seed: 1000, splits: [0.6, 0.2, 0.2], name: 'synthetic-cxr-int8' });
  const [tr, va, te] = (['train', 'val', 'test'] as const).map((s) => labelsOf(full, [s]));
  const keep = full.labelNames.map((l, c) => (FINDING_NAMES as readonly string[]).includes(l) && te.Y[c].filter((v) => v === 1).length >= 10);
  const sel = (Y: number[][]) => Y.filter((_, c) => keep[c]);
  const names = full.labelNames.filter((_, c) => keep[c]);
  const d = 2 * nano.config.dim;
  const scores: Record<string, number[][]> = {};
  for (const p of ['fp32', 'int8'] as const) {
    const [a, b, c] = [await features(enc[p], full, tr.ids), await features(enc[p], full, va.ids), await features(enc[p], full, te.ids)];
    const r = probeFeatures(a, sel(tr.Y), c, sel(te.Y), d, names, 20, { X: b, Y: sel(va.Y) });
    console.error(`probe ${p} done`);
    result[`probe_${p}`] = { linearMacroAuroc: r.linearMacroAuroc, knnMacroAuroc: r.knnMacroAuroc, lambda: r.linearLambda };
    const fitX = new Float32Array(a.length + b.length); fitX.set(a); fitX.set(b, a.length);
    scores[p] = ridgeScores(fitX, sel(tr.Y).map((y, k) => [...y, ...sel(va.Y)[k]]), c, d, r.linearLambda);
  }
  // paired bootstrap over test images: resample rows, macro AUROC int8 − fp32
  const rng = createRng(7), Yt = sel(te.Y), m = Yt[0].length, diffs: number[] = [];
  for (let b = 0; b < 1000; b++) {
    const idx = Array.from({ length: m }, () => rng.int(m));
    const pick = (M: number[][]) => M.map((row) => idx.map((i) => row[i]));
    diffs.push(macroAuroc(pick(Yt), pick(scores.int8)).macro - macroAuroc(pick(Yt), pick(scores.fp32)).macro);
  }
  diffs.sort((x, y) => x - y);
  result.linearAurocDiff = { int8MinusFp32: macroAuroc(Yt, scores.int8).macro - macroAuroc(Yt, scores.fp32).macro, ci95: [diffs[25], diffs[974]], nTest: m };
  await Promise.all([enc.fp32.dispose(), enc.int8.dispose()]);
  nano.dispose();
  console.log(JSON.stringify(result, null, 1));
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });
