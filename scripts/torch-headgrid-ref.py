#!/usr/bin/python3
"""PyTorch reference for lib/adapters (wide head families): trains 2 heads of each family (avg/attentive × linear/MLP)
a few full-batch AdamW steps with a cosine lr, one torch module per head, and writes initial weights (in our wide layout),
per-step losses and final weights to test/fixtures/adapters/torch-headgrid-ref.json.
Run: /usr/bin/python3 scripts/torch-headgrid-ref.py
"""
import json, math, os
import numpy as np
import torch

torch.set_default_dtype(torch.float64)  # reference in float64; ours runs float32
rng = np.random.default_rng(7)
N, D, T, C, H, STEPS = 8, 6, 5, 3, 4, 6
cls = rng.normal(size=(N, D)).astype(np.float32)
patches = rng.normal(size=(N, T, D)).astype(np.float32)
labels = (rng.uniform(size=(N, C)) < 0.4).astype(np.float32)
labels[1, 2] = np.nan
labels[4, 0] = np.nan
classes = rng.integers(0, C, size=N).astype(np.int32)
configs = [{"lr": 1e-2, "wd": 1e-4}, {"lr": 5e-2, "wd": 0.0}]
avg = np.concatenate([cls, patches.mean(1)], 1)

X = torch.tensor(avg, dtype=torch.float64)
TOK = torch.tensor(patches, dtype=torch.float64)
Y = torch.tensor(np.nan_to_num(labels), dtype=torch.float64)
M = torch.tensor(~np.isnan(labels), dtype=torch.float64)
K = torch.tensor(classes, dtype=torch.long)

def bce(z):
    l = torch.nn.functional.binary_cross_entropy_with_logits(z, Y, reduction="none")
    return (l * M).sum() / M.sum()

def ce(z):
    return torch.nn.functional.cross_entropy(z, K)

def u(shape, bound):
    return torch.tensor(rng.uniform(-bound, bound, size=shape), dtype=torch.float64)

def make(family):
    pool, layers = family
    p = {}
    if pool == "avg":
        din = 2 * D
        if layers == 1:
            p["w"] = u((din, C), 1 / math.sqrt(din)); p["b"] = u((1, C), 1 / math.sqrt(din))
        else:
            p["w1"] = u((din, H), 1 / math.sqrt(din)); p["b1"] = u((1, H), 1 / math.sqrt(din))
            p["w2"] = u((H, C), 1 / math.sqrt(H)); p["b2"] = u((1, C), 1 / math.sqrt(H))
    else:
        p["wq"] = u((D, C), 0.5)  # non-zero so the attention path is exercised from step 1
        if layers == 1:
            p["wv"] = u((D, C), 1 / math.sqrt(D))
        else:
            p["w1"] = u((D, H), 1 / math.sqrt(D)); p["b1"] = u((1, H), 1 / math.sqrt(D))
            p["w2"] = u((H, C), 1 / math.sqrt(H))
        p["b"] = u((1, C), 0.3)
    return {k: v.requires_grad_(True) for k, v in p.items()}

def forward(family, p):
    pool, layers = family
    if pool == "avg":
        if layers == 1:
            return X @ p["w"] + p["b"]
        return torch.relu(X @ p["w1"] + p["b1"]) @ p["w2"] + p["b2"]
    s = torch.einsum("ntd,dc->ntc", TOK, p["wq"]) / math.sqrt(D)
    a = torch.softmax(s, dim=1)  # over T
    if layers == 1:
        v = torch.einsum("ntd,dc->ntc", TOK, p["wv"])
    else:
        v = torch.relu(torch.einsum("ntd,dh->nth", TOK, p["w1"]) + p["b1"]) @ p["w2"]
    return (a * v).sum(1) + p["b"]

out = {"N": N, "D": D, "T": T, "C": C, "H": H, "steps": STEPS, "configs": configs,
       "cls": cls.ravel().tolist(), "patches": patches.ravel().tolist(),
       "labels": [None if np.isnan(v) else float(v) for v in labels.ravel()], "classes": classes.tolist(), "cases": []}
for family in [("avg", 1), ("avg", 2), ("attentive", 1), ("attentive", 2)]:
    for loss_name in (["bce", "ce"] if family == ("avg", 1) else ["bce"]):
        loss_fn = bce if loss_name == "bce" else ce
        heads = [make(family) for _ in configs]
        init = [{k: v.detach().numpy().copy() for k, v in h.items()} for h in heads]
        losses = [[] for _ in configs]
        for gi, (cfg, p) in enumerate(zip(configs, heads)):
            opt = torch.optim.AdamW(list(p.values()), lr=cfg["lr"], weight_decay=cfg["wd"])
            sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * s / STEPS)))
            for _ in range(STEPS):
                opt.zero_grad()
                loss = loss_fn(forward(family, p))
                loss.backward()
                opt.step(); sched.step()
                losses[gi].append(loss.item())
        final = [{k: v.detach().numpy() for k, v in h.items()} for h in heads]
        out["cases"].append({"pooling": family[0], "layers": family[1], "loss": loss_name,
                             "init": [{k: v.ravel().tolist() for k, v in h.items()} for h in init],
                             "final": [{k: v.ravel().tolist() for k, v in h.items()} for h in final],
                             "losses": losses})
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "adapters", "torch-headgrid-ref.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(path))
