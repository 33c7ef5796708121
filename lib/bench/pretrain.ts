/**
 * Pretraining throughput: one full DINOv2 step (multi-crop + masks built on the CPU, student forward/backward on
 * 2 global + nLocal local crops, teacher forward, DINO + iBOT + KoLeo, AdamW, EMA) for the embedded config
 * (configs/pretrain/vit-nano-synthetic.json), in tfjs (the active backend) in-process (1 worker) and data-parallel over
 * 2 worker threads (lib/pretrain/data-parallel.ts: real gradient averaging, teacher forward sharded), and — when
 * the reference Python (./python: RAYDINO_PYTHON, .venv-torch, /usr/bin/python3) has torch — the same step in PyTorch (2 threads, OMP_WAIT_POLICY=PASSIVE: default OpenMP settings run about 2× slower on 2-core VMs and would flatter the comparison)
 * on random crops (no augmentation time: it flatters PyTorch slightly).
 *
 * Keys:
 *   pretrain_backend            tfjs backend name
 *   pretrain_batch              images per step (each → 2 global + nLocal local crops)
 *   pretrain_tfjs_steps_per_s   tfjs steps/s, 1 worker (mean over the timed steps, after one warm-up step)
 *   pretrain_tfjs_img_per_s     images/s, 1 worker
 *   pretrain_tfjs_workers_2_steps_per_s  tfjs steps/s, 2 data-parallel worker threads (same timing rule)
 *   pretrain_tfjs_workers_2_img_per_s    images/s, 2 workers
 *   pretrain_speedup_workers_2  2-worker / 1-worker steps/s
 *   pretrain_workers_2_ms_<phase>  where the last timed 2-worker step's wall time went (DataParallelRun.phases): teacher
 *                               (sharded forward + gather + Sinkhorn-Knopp), student (waiting for the shards),
 *                               student_compute (the slowest worker's own forward/backward), all_reduce, update
 *   pretrain_torch              '<torch.__version__> fp32' of the reference, or 'unavailable: …'
 *   pretrain_torch_steps_per_s  PyTorch steps/s (absent when torch is unavailable)
 *   pretrain_torch_img_per_s
 *   pretrain_ratio_tfjs_vs_torch            tfjs 1 worker / PyTorch steps/s
 *   pretrain_ratio_tfjs_workers_2_vs_torch  tfjs 2 workers / PyTorch steps/s (target ≥ 0.5 against PyTorch 1.13: docs/pretrain.md, "Throughput")
 */
import { spawnSync } from 'child_process';
import { blasNote, torchEnv, torchPython } from './python';
import * as path from 'path';
import { initBackend } from '../engine/backend';
import { loadPretrainConfig } from '../pretrain/config';
import { loadPretrainImages } from '../pretrain/data';
import { DataParallelRun } from '../pretrain/data-parallel';
import { PretrainRun } from '../pretrain/trainer';

const CONFIG = path.join(__dirname, '..', '..', 'configs', 'pretrain', 'vit-nano-synthetic.json');

/** The PyTorch twin of one trainStep (dinov2-style ViT, DINO head, DINO/iBOT/KoLeo, AdamW, EMA). */
export const TORCH_STEP = String.raw`
import json, sys, time, math, torch, torch.nn as nn, torch.nn.functional as F
a = json.loads(sys.argv[1]); torch.manual_seed(0); torch.set_num_threads(2)
D, depth, heads, hid, p = a['dim'], a['depth'], a['heads'], a['mlp'], a['patch']
B, G, L, nL, K, H, BN = a['batch'], a['G'], a['L'], a['nLocal'], a['K'], a['hidden'], a['bottleneck']
class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.n1 = nn.LayerNorm(D, eps=1e-6); s.qkv = nn.Linear(D, 3 * D); s.proj = nn.Linear(D, D)
        s.n2 = nn.LayerNorm(D, eps=1e-6); s.fc1 = nn.Linear(D, hid); s.fc2 = nn.Linear(hid, D)
        s.g1 = nn.Parameter(0.1 * torch.ones(D)); s.g2 = nn.Parameter(0.1 * torch.ones(D))
    def forward(s, x):
        b, n, _ = x.shape
        q, k, v = s.qkv(s.n1(x)).reshape(b, n, 3, heads, D // heads).permute(2, 0, 3, 1, 4)
        o = (torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(D // heads), -1) @ v).transpose(1, 2).reshape(b, n, D)
        x = x + s.g1 * s.proj(o)
        return x + s.g2 * s.fc2(F.gelu(s.fc1(s.n2(x))))
class ViT(nn.Module):
    def __init__(s):
        super().__init__(); s.pe = nn.Conv2d(1, D, p, p); s.cls = nn.Parameter(torch.zeros(1, 1, D)); s.mask = nn.Parameter(torch.zeros(D))
        s.pos = nn.Parameter(0.02 * torch.randn(1, 1 + (G // p) ** 2, D)); s.blocks = nn.ModuleList([Block() for _ in range(depth)]); s.norm = nn.LayerNorm(D, eps=1e-6)
    def forward(s, x, masks=None):
        t = s.pe(x).flatten(2).transpose(1, 2)
        if masks is not None: t = torch.where(masks.unsqueeze(-1), s.mask.to(t.dtype), t)
        pos = s.pos[:, 1:]
        g = int(math.sqrt(t.shape[1]))
        if g != G // p: pos = F.interpolate(pos.reshape(1, G // p, G // p, D).permute(0, 3, 1, 2), size=(g, g), mode='bicubic').permute(0, 2, 3, 1).reshape(1, g * g, D)
        x = torch.cat([(s.cls + s.pos[:, :1]).expand(x.shape[0], -1, -1), t + pos], 1)
        for b in s.blocks: x = b(x)
        x = s.norm(x); return x[:, 0], x[:, 1:]
class Head(nn.Module):
    def __init__(s):
        super().__init__(); s.mlp = nn.Sequential(nn.Linear(D, H), nn.GELU(), nn.Linear(H, H), nn.GELU(), nn.Linear(H, BN))
        s.last = nn.utils.weight_norm(nn.Linear(BN, K, bias=False)); s.last.weight_g.data.fill_(1); s.last.weight_g.requires_grad = False
    def forward(s, x): return s.last(F.normalize(s.mlp(x), dim=-1))
student, shead = ViT(), Head(); teacher, thead = ViT(), Head()
teacher.load_state_dict(student.state_dict()); thead.load_state_dict(shead.state_dict())
params = [q for q in list(student.parameters()) + list(shead.parameters()) if q.requires_grad]
opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.04)
center = torch.zeros(1, K); icenter = torch.zeros(1, K)
def step():
    g = torch.randn(2 * B, 1, G, G); l = torch.randn(nL * B, 1, L, L)
    T = (G // p) ** 2; masks = torch.rand(2 * B, T) < 0.25; masks[B:] = False
    with torch.no_grad():
        tc, tp = teacher(g); tl = thead(torch.cat([tc, tp[masks]]))
        tprob = F.softmax((tl[:2 * B] - center) / 0.07, -1); iprob = F.softmax((tl[2 * B:] - icenter) / 0.07, -1)
    sc, sp = student(g, masks); lc, _ = student(l)
    out = shead(torch.cat([sc, lc, sp[masks]])); sd, si = out[:(2 + nL) * B], out[(2 + nL) * B:]
    lsm = F.log_softmax(sd / 0.1, -1).reshape(2 + nL, B, K); tt = tprob.reshape(2, B, K)
    dino = -sum((tt[j] * lsm[i]).sum(-1).mean() for i in range(2 + nL) for j in range(2) if i != j) / (2 + 2 * nL)
    w = (1 / masks.sum(-1).clamp(min=1)).unsqueeze(-1).expand_as(masks)[masks]
    ibot = -((iprob * F.log_softmax(si / 0.1, -1)).sum(-1) * w).sum() / (2 * B)
    def koleo(x):
        x = F.normalize(x, eps=1e-8); d = x @ x.t(); d.fill_diagonal_(-1); i = d.argmax(1)
        return -torch.log(F.pairwise_distance(x, x[i]) + 1e-8).mean()
    loss = dino + ibot + 0.1 * (koleo(sc[:B]) + koleo(sc[B:]))
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(params, 3.0); opt.step()
    with torch.no_grad():
        for ps, pt in zip(list(student.parameters()) + list(shead.parameters()), list(teacher.parameters()) + list(thead.parameters())): pt.mul_(0.996).add_(ps.detach(), alpha=0.004)
step()
t0 = time.time()
for _ in range(a['steps']): step()
print(json.dumps({'steps_per_s': a['steps'] / (time.time() - t0), 'torch': torch.__version__}))
`;

function torchStep(args: Record<string, number>): { sps: number; version: string } | string {
  const r = spawnSync(torchPython(), ['-c', TORCH_STEP, JSON.stringify(args)], { env: torchEnv(), encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return `unavailable: ${(r.stderr || r.error?.message || 'failed').trim().split('\n').pop()}`;
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as { steps_per_s: number; torch: string };
  return { sps: j.steps_per_s, version: j.torch };
}

/** Mean steps/s over `steps` timed steps after one warm-up step (kernel compilation, interpolation caches). */
async function timeSteps(step: () => unknown, steps: number): Promise<number> {
  await step();
  const t0 = Date.now();
  for (let i = 0; i < steps; i++) await step();
  return steps / ((Date.now() - t0) / 1000);
}

export async function benchPretrain(opts: { quick: boolean }): Promise<Record<string, number | string>> {
  const info = await initBackend();
  const loaded = loadPretrainConfig(CONFIG);
  const steps = opts.quick ? 2 : 6;
  const B = loaded.optim.batchSize;
  const config = { ...loaded, data: { ...loaded.data, count: B * 2 } };
  const images = await loadPretrainImages(config);
  const run = new PretrainRun(config, images);
  let sps: number;
  try {
    sps = await timeSteps(() => run.trainStep(), steps);
  } finally {
    run.dispose();
  }
  const dp = await DataParallelRun.create({ ...config, train: { ...config.train, workers: 2 } }, images);
  let sps2: number;
  const phases: Record<string, number> = {};
  try {
    sps2 = await timeSteps(() => dp.trainStep(), steps);
    const p = dp.phases!;
    Object.assign(phases, {
      pretrain_workers_2_ms_teacher: p.teacher, pretrain_workers_2_ms_student: p.student,
      pretrain_workers_2_ms_student_compute: p.studentCompute, pretrain_workers_2_ms_all_reduce: p.allReduce, pretrain_workers_2_ms_update: p.update,
    });
  } finally {
    await dp.close();
  }
  const v = run.student.config;
  const out: Record<string, number | string> = {
    pretrain_backend: info.name, pretrain_batch: B,
    pretrain_tfjs_steps_per_s: sps, pretrain_tfjs_img_per_s: sps * B,
    pretrain_tfjs_workers_2_steps_per_s: sps2, pretrain_tfjs_workers_2_img_per_s: sps2 * B,
    pretrain_speedup_workers_2: sps2 / sps, ...phases,
  };
  const torch = torchStep({
    dim: v.dim, depth: v.depth, heads: v.heads, mlp: v.mlpHidden, patch: v.patchSize, batch: B, G: config.crops.globalSize,
    L: config.crops.localSize, nLocal: config.crops.nLocal, K: config.head.prototypes, hidden: config.head.hiddenDim,
    bottleneck: config.head.bottleneckDim, steps,
  });
  if (typeof torch !== 'string') {
    out.pretrain_torch = `${torch.version} fp32${blasNote()}`;
    out.pretrain_torch_steps_per_s = torch.sps;
    out.pretrain_torch_img_per_s = torch.sps * B;
    out.pretrain_ratio_tfjs_vs_torch = sps / torch.sps;
    out.pretrain_ratio_tfjs_workers_2_vs_torch = sps2 / torch.sps;
  } else out.pretrain_torch = torch;
  return out;
}
