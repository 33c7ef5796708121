#!/usr/bin/python3
"""A PyTorch replica of one embedded pretraining run, trained on the very batches the tfjs trainer saw.

Settles "implementation or recipe" for the frozen-probe gap of issue 11 (docs/pretrain.md): the inputs (global crops,
iBOT masks) and the initial weights come from scripts/pretrain-dump-batches.ts, so the two runs differ only in the
trainer. Everything else follows the tfjs trainer (lib/pretrain/trainer.ts, student-step.ts, shard.ts) and dinov2:
  - student: ViT (scripts/torch-vit-reference.py's dinov2 layout) on both global crops, iBOT masks applied; DINO head on
    the CLS rows, separate iBOT head on the masked patch rows; head input BatchNorm1d(affine=False) in train mode;
  - teacher: EMA copy, unmasked global crops, its head BatchNorm per shard (the tfjs default 'sharded' teacher; --teacher
    main: over the whole batch), Sinkhorn-Knopp (3 iterations) of its logits over the whole batch;
  - loss: DINO cross-entropy against the swapped teacher crop + iBOT (per-image weights 1 / masked count, divided by the
    crop count) + KoLeo on each global crop's CLS; computed per data-parallel shard (train.workers) and averaged, which
    is what the tfjs workers do (head BatchNorm and KoLeo see one shard);
  - torch.optim.AdamW with per-parameter weight-decay multipliers (0 for biases, norms, LayerScale, tokens), cosine lr /
    weight decay / teacher momentum schedules, prototype layers at lr 0 for optim.freezeLastLayerSteps, each module
    (backbone, dino_head, ibot_head) clipped to optim.clipGrad.
Writes OUT/model.safetensors (teacher backbone, dinov2 keys, the raydino-vit metadata `raydino pretrain --probe` reads),
OUT/config.json (the run's config) and OUT/log.jsonl.

  npx ts-node --transpile-only scripts/pretrain-dump-batches.ts configs/pretrain/vit-nano-synthetic.json BATCHES
  /usr/bin/python3 scripts/torch-pretrain-replica.py BATCHES OUT [--threads 2] [--workers N] [--teacher sharded|main] [--steps N]
  node bin/raydino.js pretrain --config OUT/config.json --probe --out OUT
Its first steps equal the tfjs trainer's to float32 rounding (test/pretrain/replica.test.ts, fixtures from
scripts/pretrain-replica-fixtures.sh).
"""
import argparse
import copy
import importlib.util
import json
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('vitref', os.path.join(HERE, 'torch-vit-reference.py'))
vitref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vitref)

DTYPES = {'F32': np.float32, 'F16': np.float16}


def read_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        body = f.read()
    out = {}
    for k, v in header.items():
        if k == '__metadata__':
            continue
        a, b = v['data_offsets']
        out[k] = torch.from_numpy(np.frombuffer(body[a:b], dtype=DTYPES[v['dtype']]).reshape(v['shape']).astype(np.float32))
    return out


class Head(nn.Module):
    """dinov2 DINOHead (3-layer MLP, L2-normalised bottleneck, weight-normed prototypes with g fixed at 1), BN input."""

    def __init__(self, in_dim, hidden, bottleneck, K, batch_norm):
        super().__init__()
        self.bn = nn.BatchNorm1d(in_dim, affine=False) if batch_norm else nn.Identity()
        self.mlp = nn.Sequential(nn.Linear(in_dim, hidden), nn.GELU(), nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, bottleneck))
        self.weight_v = nn.Parameter(torch.zeros(K, bottleneck))

    def forward(self, x):
        h = F.normalize(self.mlp(self.bn(x)), dim=-1, p=2, eps=1e-12)
        return h @ (self.weight_v / self.weight_v.norm(dim=1, keepdim=True)).t()


def sinkhorn(logits, temp, iters=3):
    Q = torch.exp((logits - logits.max()) / temp).t()  # the shift cancels in the first normalisation
    B, K = Q.shape[1], Q.shape[0]
    Q /= Q.sum()
    for _ in range(iters):
        Q /= Q.sum(dim=1, keepdim=True)
        Q /= K
        Q /= Q.sum(dim=0, keepdim=True)
        Q /= B
    return (Q * B).t()


def koleo(x):
    xn = F.normalize(x, eps=1e-8, p=2, dim=-1)
    with torch.no_grad():
        dots = xn @ xn.t()
        dots.view(-1)[:: x.shape[0] + 1].fill_(-1)
        idx = dots.argmax(dim=1)
    return -torch.log(F.pairwise_distance(xn, xn[idx], p=2, eps=1e-8) + 1e-8).mean()


def cosine(base, final, total, warmup=0, start=0.0, freeze=0):
    v = np.zeros(total)
    for i in range(warmup):
        v[freeze + i] = start if warmup == 1 else start + (base - start) * i / (warmup - 1)
    rest = total - warmup - freeze
    for i in range(rest):
        v[freeze + warmup + i] = final + 0.5 * (base - final) * (1 + math.cos(math.pi * i / rest))
    return v


def no_wd(name):
    n = name.lower()
    return n.endswith('bias') or 'norm' in n or n.endswith('gamma') or any(t in n for t in ('pos_embed', 'cls_token', 'mask_token', 'register'))


def entropy_rows(p):
    return float(-(p * torch.log(p.clamp_min(1e-30))).sum(1).mean())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('batches')
    ap.add_argument('out')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--steps', type=int, default=None)
    ap.add_argument('--teacher', choices=['sharded', 'main'], default='sharded')
    ap.add_argument('--workers', type=int, default=None, help="data-parallel shards (default: the config's train.workers)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    meta = json.load(open(os.path.join(args.batches, 'meta.json')))
    c, v = meta['config'], meta['vit']
    # the schedules span the config's run; --steps (or a shorter dump) only stops the loop early
    total_steps = c['optim']['steps']
    steps = min(args.steps or meta['steps'], meta['steps'])
    B, G, T = meta['batch'], meta['globalSize'], meta['tokens']
    shards = args.workers or c['train']['workers']
    b = B // shards
    f32 = meta.get('dtype') == 'float32'
    glob = np.memmap(os.path.join(args.batches, 'global.f32' if f32 else 'global.f16'), dtype=np.float32 if f32 else np.float16,
                     mode='r', shape=(meta['steps'], 2 * B, 1, G, G))
    masks = np.memmap(os.path.join(args.batches, 'masks.u8'), dtype=np.uint8, mode='r', shape=(meta['steps'], 2 * B, T))

    def vit():
        return vitref.DinoVisionTransformer(v['imgSize'], v['patchSize'], v['dim'], v['depth'], v['heads'], v['mlpHidden'],
                                            v['numRegisters'], v['layerScaleInit'], 'dinov2', in_chans=v['inChans'])

    h = c['head']
    K = h['prototypes']
    student = nn.ModuleDict({'backbone': vit(),
                             'dino_head': Head(v['dim'], h['hiddenDim'], h['bottleneckDim'], K, h['inputNorm'] == 'batch'),
                             'ibot_head': Head(v['dim'], h['hiddenDim'], h['bottleneckDim'], K, h['inputNorm'] == 'batch')})
    assert h['ibotSeparateHead'], 'the replica models the separate iBOT head only'
    init = read_safetensors(os.path.join(args.batches, 'init.safetensors'))
    sd = {}
    for k, t in init.items():
        key = k.replace('.last_layer.weight_v', '.weight_v') if 'head.' in k else 'backbone.' + k
        sd[key] = t
    missing = student.load_state_dict(sd, strict=False)
    assert not missing.unexpected_keys, missing.unexpected_keys
    # BatchNorm running statistics are buffers the tfjs run does not keep (both sides normalise with batch statistics)
    assert all('.bn.' in k for k in missing.missing_keys), missing.missing_keys
    teacher = copy.deepcopy(student)
    for p in teacher.parameters():
        p.requires_grad_(False)

    o, tc = c['optim'], c['teacher']
    lr = cosine(o['baseLr'], o['minLr'], total_steps, min(o['warmupSteps'], total_steps))
    freeze = min(o['freezeLastLayerSteps'], total_steps)
    last_lr = cosine(o['baseLr'], o['minLr'], total_steps, min(o['warmupSteps'], total_steps - freeze), 0.0, freeze)
    wd = cosine(o['weightDecay'], o['weightDecayEnd'], total_steps)
    mom = cosine(tc['momentumTeacher'], tc['finalMomentumTeacher'], total_steps)
    ttemp = cosine(tc['teacherTemp'], tc['teacherTemp'], total_steps, min(tc['warmupTeacherTempSteps'], total_steps), tc['warmupTeacherTemp'])
    assert o['scalingRule'] == 'none'

    groups = []
    for name, p in student.named_parameters():
        groups.append({'params': [p], 'name': name, 'wd_mult': 0.0 if no_wd(name) else 1.0, 'last': name.endswith('weight_v')})
    opt = torch.optim.AdamW(groups, lr=0.0, betas=(o['beta1'], o['beta2']), eps=1e-8, weight_decay=0.0)
    modules = {m: [p for n, p in student.named_parameters() if n.startswith(m + '.')] for m in ('backbone', 'dino_head', 'ibot_head')}
    s_temp = o['studentTemp']
    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, 'log.jsonl'), 'w')
    t0 = time.time()
    for s in range(steps):
        x = torch.from_numpy(np.asarray(glob[s], dtype=np.float32))
        mk = torch.from_numpy(np.asarray(masks[s]).astype(bool))
        shard_rows = [torch.cat([torch.arange(k * b, (k + 1) * b), torch.arange(B + k * b, B + (k + 1) * b)]) for k in range(shards)]
        with torch.no_grad():
            # the teacher's head BatchNorm sees what computed it: one shard (tfjs 'sharded' teacher, the default) or the
            # whole batch ('main'); Sinkhorn-Knopp always runs over the whole batch
            parts_t = shard_rows if args.teacher == 'sharded' else [torch.arange(2 * B)]
            dino_logits = torch.zeros(2 * B, K)
            ibot_logits = torch.zeros(int(mk.sum()), K)
            order = torch.cumsum(mk.reshape(-1).long(), 0) - 1
            for rows in parts_t:
                to = teacher['backbone'](x[rows])
                dino_logits[rows] = teacher['dino_head'](to['cls'])
                flat = mk[rows].reshape(-1)
                if flat.any():
                    whole = (rows.unsqueeze(1) * T + torch.arange(T)).reshape(-1)[flat]
                    ibot_logits[order[whole]] = teacher['ibot_head'](to['patches'].reshape(-1, v['dim'])[flat])
            t_dino = sinkhorn(dino_logits, ttemp[s])
            t_ibot_all = sinkhorn(ibot_logits, ttemp[s]) if mk.any() else None
        total = 0.0
        parts = {'dino': 0.0, 'ibot': 0.0, 'koleo': 0.0}
        for rows in shard_rows:
            xs, ms = x[rows], mk[rows]
            so = student['backbone'](xs, masks=ms if ms.any() else None)
            s_dino = student['dino_head'](so['cls'])
            swapped = torch.cat([t_dino[rows[b:]], t_dino[rows[:b]]])
            dino = -(swapped * F.log_softmax(s_dino / s_temp, dim=-1)).sum(-1).mean()
            ibot = torch.zeros(())
            if ms.any():
                flat = ms.reshape(-1)
                s_ibot = student['ibot_head'](so['patches'].reshape(-1, v['dim'])[flat])
                whole = (rows.unsqueeze(1) * T + torch.arange(T)).reshape(-1)[flat]
                tgt = t_ibot_all[order[whole]]
                w = (1.0 / ms.sum(1).clamp(min=1).float()).unsqueeze(1).expand_as(ms).reshape(-1)[flat]
                ibot = -((tgt * F.log_softmax(s_ibot / s_temp, dim=-1)).sum(-1) * w).sum() / (2 * b)
            ko = koleo(so['cls'][:b]) + koleo(so['cls'][b:])
            loss = c['dino']['lossWeight'] * dino + c['ibot']['lossWeight'] * ibot + c['dino']['koleoLossWeight'] * ko
            total = total + loss / shards
            parts['dino'] += float(dino) / shards
            parts['ibot'] += float(ibot) / shards
            parts['koleo'] += float(ko) / shards
        opt.zero_grad(set_to_none=True)
        total.backward()
        norms = [float(torch.nn.utils.clip_grad_norm_(ps, o['clipGrad'])) for ps in modules.values()]
        for g in opt.param_groups:
            g['lr'] = last_lr[s] if g['last'] else lr[s]
            g['weight_decay'] = wd[s] * g['wd_mult']
        opt.step()
        with torch.no_grad():
            for pt, ps in zip(teacher.parameters(), student.parameters()):
                pt.mul_(mom[s]).add_(ps.detach(), alpha=1 - mom[s])
        n_masked_crops = math.floor(2 * B * c['ibot']['maskSampleProbability'])
        rec = dict(step=s, lr=lr[s], dino_loss=parts['dino'], ibot_loss=parts['ibot'],
                   ibot_ce=parts['ibot'] * 2 * B / n_masked_crops if n_masked_crops else 0.0, koleo_loss=parts['koleo'],
                   grad_norm=math.sqrt(sum(n * n for n in norms)), teacher_entropy=entropy_rows(t_dino), seconds=time.time() - t0)
        log.write(json.dumps(rec) + '\n')
        if (s + 1) % 100 == 0 or s + 1 == steps:
            log.flush()
            print(f"step {s + 1}/{steps}  dino {rec['dino_loss']:.3f} (log K {math.log(K):.3f})  ibot_ce {rec['ibot_ce']:.3f}  "
                  f"teacher H {rec['teacher_entropy']:.3f}  {time.time() - t0:.0f} s", flush=True)
    log.close()

    tensors = dict(teacher['backbone'].state_dict())
    cfg = dict(v)
    vitref.save_safetensors(os.path.join(args.out, 'model.safetensors'), tensors,
                            {'format': 'raydino-vit', 'raydino_config': json.dumps(cfg), 'role': 'teacher',
                             'steps': str(steps), 'trainer': 'torch-pretrain-replica', 'pretrain_config': json.dumps(c)})
    json.dump(c, open(os.path.join(args.out, 'config.json'), 'w'), indent=1)
    print('wrote', os.path.join(args.out, 'model.safetensors'))


if __name__ == '__main__':
    main()
