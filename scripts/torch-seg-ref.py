#!/usr/bin/python3
"""PyTorch references for the segmentation/regression adapters (run with Debian's /usr/bin/python3, which has torch).

Writes test/fixtures/segmentation/torch-ref.json:
  dice:     multi-label soft Dice (sigmoid, per sample & class, smooth 1, class weights) value and d/d logits
  resample: F.interpolate(bilinear, align_corners=False) up and avg_pool2d(2) down, values and input gradients
  smape:    AASCE SMAPE on 3 angles (sum over angles / sum of |pred|+|true|, mean over samples) and d/d pred
Usage: /usr/bin/python3 scripts/torch-seg-ref.py
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'segmentation', 'torch-ref.json')


def dice_loss(logits, targets, weights, smooth=1.0):
    # logits, targets: [B, P, K]; weights: [B, K]
    p = torch.sigmoid(logits)
    inter = (p * targets).sum(1)
    total = p.sum(1) + targets.sum(1)
    dice = (2 * inter + smooth) / (total + smooth)
    return 1 - (weights * dice).sum() / weights.sum()


def flat(t):
    # 9 significant digits: float32-exact enough for 1e-5 checks, and a small fixture
    return [float(f'{v:.9g}') for v in t.detach().reshape(-1).tolist()]


def dice_case():
    B, P, K = 2, 12, 3
    logits = (torch.randn(B, P, K) * 2).requires_grad_(True)
    targets = (torch.rand(B, P, K) > 0.6).double()
    targets[0, :, 1] = torch.rand(P)  # soft targets in one class
    weights = torch.tensor([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    loss = dice_loss(logits, targets, weights)
    loss.backward()
    return dict(shape=[B, P, K], logits=flat(logits), targets=flat(targets), weights=flat(weights),
                loss=float(loss), grad=flat(logits.grad))


def resample_case():
    B, H, W, C = 2, 5, 7, 3
    x = torch.randn(B, H, W, C, requires_grad=True)
    r_up = torch.randn(B, 9, 13, C)
    up = F.interpolate(x.permute(0, 3, 1, 2), size=(9, 13), mode='bilinear', align_corners=False).permute(0, 2, 3, 1)
    (up * r_up).sum().backward()
    g_up = x.grad.clone()
    x2 = torch.randn(B, 8, 6, C, requires_grad=True)
    down = F.avg_pool2d(x2.permute(0, 3, 1, 2), 2).permute(0, 2, 3, 1)
    r_down = torch.randn(B, 4, 3, C)
    (down * r_down).sum().backward()
    return dict(up=dict(x=flat(x), shape=[B, H, W, C], out_hw=[9, 13], y=flat(up), r=flat(r_up), grad=flat(g_up)),
                down=dict(x=flat(x2), shape=[B, 8, 6, C], out_hw=[4, 3], y=flat(down), r=flat(r_down),
                          grad=flat(x2.grad)))


def smape_case():
    B = 5
    y = torch.rand(B, 3) * 40 + 2
    pred = (y + torch.randn(B, 3) * 8).requires_grad_(True)
    loss = ((pred - y).abs().sum(1) / ((pred.abs() + y.abs()).sum(1))).mean()
    loss.backward()
    return dict(pred=flat(pred), target=flat(y), loss=float(loss), grad=flat(pred.grad))


def head_case():
    """UperNet-lite (lib/adapters/segmentation/seg-head.ts) in torch: forward logits and autograd parameter grads of
    sum(logits * R) + sum(aux * Ra). Weights are stored [in, out] as in the TS dense layers."""
    B, GH, GW, D, C, K = 2, 4, 6, 5, 4, 2
    scales = [4, 2, 1, 0.5]
    sizes = [(int(round(GH * s)), int(round(GW * s))) for s in scales]
    T = GH * GW
    g = torch.Generator().manual_seed(1)
    def rnd(*shape, std=1.0):
        return (torch.randn(*shape, generator=g) * std).requires_grad_(True)
    params = {}
    for i in range(4):
        params[f'pyramid.lateral{i}.w'] = rnd(D, C, std=0.6)
        params[f'pyramid.lateral{i}.b'] = rnd(C, std=0.1)
    params['uper.fuse.w'] = rnd(4 * C, C, std=0.4)
    params['uper.fuse.b'] = rnd(C, std=0.1)
    params['uper.cls.w'] = rnd(C, K, std=0.5)
    params['uper.cls.b'] = rnd(K, std=0.1)
    params['fcn.conv.w'] = rnd(C, C, std=0.5)
    params['fcn.conv.b'] = rnd(C, std=0.1)
    params['fcn.cls.w'] = rnd(C, K, std=0.5)
    params['fcn.cls.b'] = rnd(K, std=0.1)
    tokens = [torch.randn(B, T, D, generator=g) for _ in range(4)]
    def nchw(x):  # [B, T, C] -> [B, C, GH, GW]
        return x.reshape(B, GH, GW, -1).permute(0, 3, 1, 2)
    lat, levels = [], []
    for i, (h, w) in enumerate(sizes):
        l = torch.relu(tokens[i] @ params[f'pyramid.lateral{i}.w'] + params[f'pyramid.lateral{i}.b'])
        lat.append(l)
        x = nchw(l)
        if h > GH:
            x = F.interpolate(x, size=(h, w), mode='bilinear', align_corners=False)
        elif h < GH:
            x = F.avg_pool2d(x, 2)
        levels.append(x)
    p = [None] * 4
    p[3] = levels[3]
    for i in range(2, -1, -1):
        p[i] = levels[i] + F.interpolate(p[i + 1], size=sizes[i], mode='bilinear', align_corners=False)
    up = [p[0]] + [F.interpolate(p[i], size=sizes[0], mode='bilinear', align_corners=False) for i in range(1, 4)]
    cat = torch.cat(up, 1).permute(0, 2, 3, 1).reshape(-1, 4 * C)
    fused = torch.relu(cat @ params['uper.fuse.w'] + params['uper.fuse.b'])
    logits = (fused @ params['uper.cls.w'] + params['uper.cls.b']).reshape(B, sizes[0][0] * sizes[0][1], K)
    hid = torch.relu(lat[2] @ params['fcn.conv.w'] + params['fcn.conv.b'])
    aux = (hid @ params['fcn.cls.w'] + params['fcn.cls.b']).reshape(B, T, K)
    R = torch.randn(*logits.shape, generator=g)
    Ra = torch.randn(*aux.shape, generator=g)
    ((logits * R).sum() + (aux * Ra).sum()).backward()
    return dict(config=dict(gridH=GH, gridW=GW, dim=D, channels=C, classes=K, batch=B),
                params={k: dict(shape=list(v.shape), data=flat(v)) for k, v in params.items()},
                grads={k: flat(v.grad) for k, v in params.items()},
                tokens=[flat(t) for t in tokens], logits=flat(logits), aux=flat(aux), R=flat(R), Ra=flat(Ra))


def cobb_case():
    """Cobb head (lib/adapters/regression/cobb-head.ts): attentive pooling (learned query per head, softmax over T,
    per-head values) + linear, outputs mean + std * z; SMAPE loss; autograd parameter grads."""
    B, T, D, H, DV, J = 3, 5, 4, 2, 3, 3
    g = torch.Generator().manual_seed(2)
    def rnd(*shape, std=1.0):
        return (torch.randn(*shape, generator=g) * std).requires_grad_(True)
    params = {'pool.query': rnd(D, H, std=0.7), 'pool.value.w': rnd(D, H * DV, std=0.5),
              'pool.value.b': rnd(H * DV, std=0.1), 'out.w': rnd(H * DV, J, std=0.5), 'out.b': rnd(J, std=0.1)}
    x = torch.randn(B * T, D, generator=g)
    mean = torch.tensor([20.0, 30.0, 25.0])
    std = torch.tensor([5.0, 8.0, 6.0])
    y = mean + std * torch.randn(B, J, generator=g)
    scores = (x @ params['pool.query']).reshape(B, T, H)
    attn = torch.softmax(scores, dim=1)  # over T
    values = (x @ params['pool.value.w'] + params['pool.value.b']).reshape(B, T, H, DV)
    pooled = (attn.unsqueeze(-1) * values).sum(1).reshape(B, H * DV)
    pred = mean + std * (pooled @ params['out.w'] + params['out.b'])
    loss = ((pred - y).abs().sum(1) / ((pred.abs() + y.abs()).sum(1))).mean()
    loss.backward()
    return dict(config=dict(batch=B, tokens=T, dim=D, heads=H, valueDim=DV, outputs=J),
                mean=flat(mean), std=flat(std), x=flat(x), y=flat(y),
                params={k: dict(shape=list(v.shape), data=flat(v)) for k, v in params.items()},
                grads={k: flat(v.grad) for k, v in params.items()},
                pred=flat(pred), attention=flat(attn.permute(0, 2, 1)), loss=float(loss))


if __name__ == '__main__':
    ref = dict(dice=dice_case(), resample=resample_case(), smape=smape_case(), head=head_case(), cobb=cobb_case(),
               torch=torch.__version__)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(ref, f)
    print('wrote', os.path.normpath(OUT))
