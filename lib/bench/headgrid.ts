/**
 * Benchmark of the head grid (lib/adapters/grid/head-grid): one epoch of the adapters trained together on random features,
 * against PyTorch doing the same wide 2-D matmul grid in a subprocess (./python's interpreter, 2 threads,
 * OMP_WAIT_POLICY=PASSIVE — scripts/torch-headgrid-bench.py), timed in the same run so machine load hits both.
 *
 * Keys (flat, JSON-able):
 *   linear156_n, linear156_dim               samples × feature width of the linear-grid epoch (10,000 × 1024, 14 labels)
 *   linear156_ours_s_per_epoch               156 linear heads (avg pooling family), ONNX Runtime Gemm engine, 2 worker threads
 *   linear156_ours_1thread_s_per_epoch       the same in one thread (ORT with 2 intra-op threads)
 *   linear156_ours_cpu_s, linear156_torch_cpu_s  CPU seconds of all threads (less sensitive to a loaded machine)
 *   linear156_torch_s_per_epoch              the same grid in PyTorch ('unavailable: …' without python3 + torch)
 *   linear156_torch                          the reference's torch.__version__ and precision (./python picks the Python)
 *   linear156_speed_vs_torch                 torch time / ours (≥ 0.5 is the target; > 1 = faster than PyTorch)
 *   linear156_target_met                     'yes' when ours ≤ 2.7 s/epoch or ≥ 0.5× PyTorch's speed
 *   linear156_tfjs_s_per_epoch               same with the tfjs engine (full profile only)
 *   grid156_n, grid156_tokens, grid156_dim   the paper grid's epoch: samples, patch tokens per sample, width
 *   grid156_s_per_epoch                      all 156 configs (avg + attentive, linear + MLP) on patch tokens
 *   grid156_samples_per_s
 *   peak_rss_mb                              process peak RSS after the runs (patch tokens held in memory)
 *   limits                                   what bounds the speed (see docs/eval.md)
 */
import { spawnSync } from 'child_process';
import { blasNote, torchEnv, torchPython } from './python';
import * as path from 'path';
import { gridConfigs } from '../adapters/grid/config';
import { HeadGrid } from '../adapters/grid/head-grid';
import { createRng } from '../engine/rng';

function randomFeatures(n: number, d: number, c: number, t: number, seed: number) {
  const rng = createRng(seed);
  const cls = new Float32Array(n * d);
  for (let i = 0; i < cls.length; i++) cls[i] = rng.normal();
  const patches = t > 0 ? new Float32Array(n * t * d) : undefined;
  if (patches) for (let i = 0; i < patches.length; i++) patches[i] = rng.normal();
  const labels = new Float32Array(n * c);
  for (let i = 0; i < labels.length; i++) labels[i] = rng.uniform() < 0.1 ? 1 : 0;
  const side = Math.round(Math.sqrt(t));
  return { fs: { n, dim: d, cls, patches, gridH: t > 0 ? side : 0, gridW: t > 0 ? t / side : 0 }, labels };
}

/** Wall and CPU seconds of one epoch (after a short warm-up fit that starts workers and sessions). */
async function epochSeconds(grid: HeadGrid, fs: ReturnType<typeof randomFeatures>['fs'], labels: Float32Array, classes: number): Promise<{ wall: number; cpu: number }> {
  const warm = Math.min(fs.n, 512);
  const t = fs.gridH * fs.gridW;
  await grid.fit({ ...fs, n: warm, cls: fs.cls.subarray(0, warm * fs.dim), patches: fs.patches?.subarray(0, warm * t * fs.dim) }, labels.subarray(0, warm * classes));
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await grid.fit(fs, labels);
  const cu = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (cu.user + cu.system) / 1e6 };
}

function torchEpoch(n: number, d: number, c: number, h: number, bs: number): { wall: number; cpu: number; torch: string } | string {
  const script = path.join(__dirname, '..', '..', 'scripts', 'torch-headgrid-bench.py');
  const r = spawnSync(torchPython(), [script, String(n), String(d), String(c), String(h), String(bs), '2'], {
    encoding: 'utf8', env: torchEnv(), timeout: 300_000,
  });
  if (r.error) return `unavailable: ${r.error.message}`;
  if (r.status !== 0) return `unavailable: ${(r.stderr || '').trim().split('\n').pop()}`;
  try {
    const j = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { s_per_epoch: number; cpu_s_per_epoch: number; torch: string; precision: string };
    return { wall: j.s_per_epoch, cpu: j.cpu_s_per_epoch, torch: `${j.torch} ${j.precision}` };
  } catch {
    return `unavailable: unparsable output ${r.stdout.slice(0, 200)}`;
  }
}

export async function benchHeadgrid(opts: { quick: boolean }): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  const n = 10_000, d = 1024, c = 14, bs = 256;
  // 156 linear heads = the paper's 39 (lr × wd) × 4 — the head grid a linear-probe evaluation trains
  const lin = gridConfigs({ poolings: ['avg'], layers: [1] });
  const linear156 = [...lin, ...lin, ...lin, ...lin];
  const { fs, labels } = randomFeatures(n, d, c, 0, 1);
  out.linear156_n = n;
  out.linear156_dim = d;
  const ours = new HeadGrid({ dim: d, tokens: 0, classes: c, task: 'multilabel', configs: linear156, epochs: 1, batchSize: bs, engine: 'ort', workers: 2 });
  const o2 = await epochSeconds(ours, fs, labels, c);
  await ours.dispose();
  out.linear156_ours_s_per_epoch = round(o2.wall);
  out.linear156_ours_cpu_s = round(o2.cpu);
  const torchS = torchEpoch(n, d, c, 156, bs);
  out.linear156_torch_s_per_epoch = typeof torchS === 'string' ? torchS : round(torchS.wall);
  if (typeof torchS !== 'string') {
    out.linear156_torch_cpu_s = round(torchS.cpu);
    out.linear156_torch = `${torchS.torch}${blasNote()}`;
    out.linear156_speed_vs_torch = round(torchS.wall / o2.wall);
  }
  out.linear156_target_met = o2.wall <= 2.7 || (typeof torchS !== 'string' && torchS.wall / o2.wall >= 0.5) ? 'yes' : 'no';
  const one = new HeadGrid({ dim: d, tokens: 0, classes: c, task: 'multilabel', configs: linear156, epochs: 1, batchSize: bs, engine: 'ort', workers: 1 });
  out.linear156_ours_1thread_s_per_epoch = round((await epochSeconds(one, fs, labels, c)).wall);
  await one.dispose();
  if (!opts.quick) {
    const tfj = new HeadGrid({ dim: d, tokens: 0, classes: c, task: 'multilabel', configs: linear156, epochs: 1, batchSize: bs, engine: 'tfjs', workers: 1 });
    out.linear156_tfjs_s_per_epoch = round((await epochSeconds(tfj, fs, labels, c)).wall);
    await tfj.dispose();
  }
  // the real grid (both poolings, both depths) on patch tokens: ViT-S width at 112 px (7 × 7 tokens)
  const nTok = opts.quick ? 500 : 10_000, t = 49, dt = 384;
  const tok = randomFeatures(nTok, dt, c, t, 2);
  const grid = new HeadGrid({ dim: dt, tokens: t, classes: c, task: 'multilabel', epochs: 1, batchSize: 64, engine: 'ort', workers: 2 });
  const gs = (await epochSeconds(grid, tok.fs, tok.labels, c)).wall;
  await grid.dispose();
  out.grid156_n = nTok;
  out.grid156_tokens = t;
  out.grid156_dim = dt;
  out.grid156_s_per_epoch = round(gs);
  out.grid156_samples_per_s = round(nTok / gs);
  out.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  out.limits = 'heads split over 2 worker threads (ORT Gemm, 1 intra-op thread each); per step the JS AdamW loop over '
    + '2.2 M weights and the BCE over [256, 2184] logits cost about as much as the two products; attentive: JS softmax/'
    + 'pooling over B·T·(G·C) elements';
  return out;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
