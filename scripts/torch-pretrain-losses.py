#!/usr/bin/python3
"""Reference values for lib/pretrain (DINO / iBOT / KoLeo losses, centring, Sinkhorn-Knopp, DINO head, cosine
schedules, AdamW) computed with PyTorch following facebookresearch/dinov2's code (dinov2/loss/*.py,
layers/dino_head.py, utils/utils.py CosineScheduler, train/ssl_meta_arch.py). Writes test/fixtures/pretrain/torch-losses.json.

Run: /usr/bin/python3 scripts/torch-pretrain-losses.py
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
rng = np.random.default_rng(0)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'pretrain', 'torch-losses.json')


def t(a):
    return torch.tensor(np.asarray(a, dtype=np.float32))


def lst(x):
    return x.detach().double().numpy().reshape(-1).tolist()


fx = {}

# ---------------- DINO CLS loss (dinov2 DINOLoss + SSLMetaArch pairing) ----------------
nG, nL, B, K = 2, 3, 4, 16
student_temp, teacher_temp, center_m = 0.1, 0.05, 0.9
student = t(rng.normal(size=(nG + nL, B, K)) * 2).reshape((nG + nL) * B, K).requires_grad_(True)
teacher_logits = t(rng.normal(size=(nG * B, K)) * 2)
center = t(rng.normal(size=(1, K)) * 0.3)

teacher_probs = F.softmax((teacher_logits - center) / teacher_temp, dim=-1)  # softmax_center_teacher
new_center = center * center_m + teacher_logits.mean(0, keepdim=True) * (1 - center_m)  # update_center


def dino_forward(student_list, teacher_list):  # DINOLoss.forward
    total = 0
    for s in student_list:
        lsm = F.log_softmax(s / student_temp, dim=-1)
        for tt in teacher_list:
            total = total - torch.sum(tt * lsm, dim=-1).mean()
    return total


# SSLMetaArch: local crops vs both teacher global chunks; global crops vs the SWAPPED teacher views, ×2 (loss_scales)
n_terms = nG * (nG - 1) + nL * nG
t_chunks = teacher_probs.chunk(nG)
s_global = student[: nG * B]
s_local = student[nG * B:]
local_loss = dino_forward(s_local.chunk(nL), list(t_chunks)) / n_terms
swapped = torch.cat((t_chunks[1], t_chunks[0]))
global_loss = dino_forward([s_global], [swapped]) * 2 / n_terms
dino = local_loss + global_loss
dino.backward()
fx['dino'] = dict(nGlobal=nG, nLocal=nL, batch=B, K=K, studentTemp=student_temp, teacherTemp=teacher_temp,
                  centerMomentum=center_m, student=lst(student), teacherLogits=lst(teacher_logits), center=lst(center),
                  teacherProbs=lst(teacher_probs), newCenter=lst(new_center), loss=dino.item(), grad=lst(student.grad))

# ---------------- Sinkhorn-Knopp (DINOLoss.sinkhorn_knopp_teacher, world size 1) ----------------
def sinkhorn(teacher_output, temp, n_iterations=3):
    Q = torch.exp(teacher_output / temp).t()
    Bq = Q.shape[1]
    Kq = Q.shape[0]
    Q /= torch.sum(Q)
    for _ in range(n_iterations):
        Q /= torch.sum(Q, dim=1, keepdim=True)
        Q /= Kq
        Q /= torch.sum(Q, dim=0, keepdim=True)
        Q /= Bq
    Q *= Bq
    return Q.t()


sk_in = t(rng.normal(size=(6, 10)) * 0.2)  # small logits so exp(x/0.07) stays finite in float32 without a shift
fx['sinkhorn'] = dict(logits=lst(sk_in), n=6, K=10, temp=0.07, iterations=3, out=lst(sinkhorn(sk_in.clone(), 0.07)))

# ---------------- iBOT patch loss (iBOTPatchLoss.forward_masked) ----------------
Nimg, T, Ki = 4, 9, 12
masks = torch.zeros(Nimg, T, dtype=torch.bool)
masks[0, [1, 2, 5]] = True
masks[1, [0]] = True
masks[3, [2, 3, 4, 6, 8]] = True  # image 2 has no masked patch: it still counts in the denominator
M = int(masks.sum())
s_patch = t(rng.normal(size=(M, Ki)) * 2).requires_grad_(True)
t_patch_logits = t(rng.normal(size=(M, Ki)) * 2)
ibot_center = t(rng.normal(size=(1, Ki)) * 0.3)
t_patch = F.softmax((t_patch_logits - ibot_center) / teacher_temp, dim=-1)
lossv = torch.sum(t_patch * F.log_softmax(s_patch / student_temp, dim=-1), dim=-1)
masks_weight = (1 / masks.sum(-1).clamp(min=1.0)).unsqueeze(-1).expand_as(masks)[masks]
ibot = -(lossv * masks_weight).sum() / masks.shape[0]
ibot.backward()
fx['ibot'] = dict(nImages=Nimg, tokens=T, K=Ki, masks=masks.reshape(-1).int().tolist(), student=lst(s_patch),
                  teacherLogits=lst(t_patch_logits), center=lst(ibot_center), teacherTemp=teacher_temp,
                  studentTemp=student_temp, weights=lst(masks_weight), loss=ibot.item(), grad=lst(s_patch.grad))

# ---------------- KoLeo (KoLeoLoss) ----------------
kx = t(rng.normal(size=(7, 5))).requires_grad_(True)
xn = F.normalize(kx, eps=1e-8, p=2, dim=-1)
dots = torch.mm(xn, xn.t())
dots.view(-1)[:: (7 + 1)].fill_(-1)
_, I = torch.max(dots, dim=1)
dist = nn.PairwiseDistance(2, eps=1e-8)(xn, xn[I])
koleo = -torch.log(dist + 1e-8).mean()
koleo.backward()
fx['koleo'] = dict(n=7, d=5, x=lst(kx), neighbours=I.tolist(), loss=koleo.item(), grad=lst(kx.grad))

# ---------------- DINO head (layers/dino_head.py, weight_g = 1) ----------------
in_dim, hid, bott, out = 6, 10, 4, 7
mlp = nn.Sequential(nn.Linear(in_dim, hid), nn.GELU(), nn.Linear(hid, hid), nn.GELU(), nn.Linear(hid, bott))
last = nn.utils.weight_norm(nn.Linear(bott, out, bias=False))
last.weight_g.data.fill_(1)
hx = t(rng.normal(size=(3, in_dim)))
with torch.no_grad():
    for m in mlp:
        if isinstance(m, nn.Linear):
            m.bias.normal_(0, 0.1)
    h = F.normalize(mlp(hx), dim=-1, p=2, eps=1e-12)
    hy = last(h)
fx['head'] = dict(inDim=in_dim, hiddenDim=hid, bottleneckDim=bott, outDim=out, x=lst(hx),
                  # [in, out] layout for tfjs
                  w0=lst(mlp[0].weight.t()), b0=lst(mlp[0].bias), w2=lst(mlp[2].weight.t()), b2=lst(mlp[2].bias),
                  w4=lst(mlp[4].weight.t()), b4=lst(mlp[4].bias), v=lst(last.weight_v.t()), y=lst(hy))

# the same head with BatchNorm1d(affine=False) on its input (head.inputNorm 'batch'), train mode, and its gradients
bn = nn.BatchNorm1d(in_dim, affine=False)
bx = t(rng.normal(size=(5, in_dim)) + 3.0).requires_grad_(True)
br = t(rng.normal(size=(5, out)))
by = last(F.normalize(mlp(bn(bx)), dim=-1, p=2, eps=1e-12))
(by * br).sum().backward()
fx['headBatchNorm'] = dict(x=lst(bx), r=lst(br), y=lst(by.detach()), gradX=lst(bx.grad), gradW0=lst(mlp[0].weight.grad.t()),
                           gradV=lst(last.weight_v.grad.t()))


# ---------------- CosineScheduler (dinov2/utils/utils.py) ----------------
def cosine_schedule(base, final, total, warmup=0, start_warmup=0.0, freeze=0):
    freeze_s = np.zeros((freeze))
    warm = np.linspace(start_warmup, base, warmup)
    iters = np.arange(total - warmup - freeze)
    sched = final + 0.5 * (base - final) * (1 + np.cos(np.pi * iters / len(iters)))
    return np.concatenate((freeze_s, warm, sched)).tolist()


fx['schedules'] = dict(
    lr=dict(base=0.004, final=1e-6, total=20, warmup=5, startWarmup=0, freeze=0, values=cosine_schedule(0.004, 1e-6, 20, 5)),
    lastLayer=dict(base=0.004, final=1e-6, total=20, warmup=5, startWarmup=0, freeze=3, values=cosine_schedule(0.004, 1e-6, 20, 5, 0, 3)),
    wd=dict(base=0.04, final=0.4, total=20, warmup=0, startWarmup=0, freeze=0, values=cosine_schedule(0.04, 0.4, 20)),
    momentum=dict(base=0.992, final=1.0, total=20, warmup=0, startWarmup=0, freeze=0, values=cosine_schedule(0.992, 1.0, 20)),
    teacherTemp=dict(base=0.07, final=0.07, total=20, warmup=8, startWarmup=0.04, freeze=0, values=cosine_schedule(0.07, 0.07, 20, 8, 0.04)),
)

# ---------------- AdamW (torch.optim.AdamW, betas 0.9/0.999, eps 1e-8), 3 steps with changing lr / wd ----------------
p = torch.nn.Parameter(t(rng.normal(size=(5,))))
p0 = lst(p)
opt = torch.optim.AdamW([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.04)
grads, lrs, wds = [], [0.01, 0.02, 0.005], [0.04, 0.1, 0.2]
for step in range(3):
    g = t(rng.normal(size=(5,)))
    grads.append(lst(g))
    for grp in opt.param_groups:
        grp['lr'] = lrs[step]
        grp['weight_decay'] = wds[step]
    p.grad = g
    opt.step()
st = opt.state[p]
fx['adamw'] = dict(p0=p0, grads=grads, lrs=lrs, wds=wds, p=lst(p), m=lst(st['exp_avg']), v=lst(st['exp_avg_sq']))

# ---------------- ridge linear probe (lib/pretrain/probe.ts ridgeScores) vs scikit-learn ----------------
from sklearn.linear_model import Ridge  # noqa: E402

n_tr, n_te, d, C, lam = 40, 10, 6, 3, 1e-2
Xtr = rng.normal(size=(n_tr, d)) * rng.uniform(0.5, 3, size=d) + rng.normal(size=d)
Ytr = (Xtr[:, :C] + rng.normal(size=(n_tr, C)) > 0.5).astype(float)
Xte = rng.normal(size=(n_te, d)) * 2
mu, sd = Xtr.mean(0), Xtr.std(0)
model = Ridge(alpha=lam * n_tr, fit_intercept=True).fit((Xtr - mu) / sd, Ytr)
fx['ridge'] = dict(nTrain=n_tr, nTest=n_te, d=d, C=C, lam=lam, trainX=Xtr.astype(np.float32).reshape(-1).tolist(),
                   trainY=Ytr.T.tolist(), testX=Xte.astype(np.float32).reshape(-1).tolist(),
                   scores=model.predict((Xte.astype(np.float32).astype(np.float64) - mu) / sd).T.tolist())

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump(fx, f)
print('wrote', os.path.normpath(OUT))
