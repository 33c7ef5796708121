#!/usr/bin/python3
"""PyTorch reference for the position-centred keys of lib/adapters/grid/attentive-family.ts (centreKeys): scores
(x_t - mu_t).q / sqrt(D) with mu_t the mean training token at position t (full-batch steps: the family's running mean
is exactly the batch mean), raw-token values; 2 heads (linear and MLP families), a few full-batch AdamW steps with a
cosine lr; writes initial / final weights, per-step losses and the final attention to
test/fixtures/adapters/attentive-centred-keys.json.
Run: /usr/bin/python3 scripts/pinpointing-centred-keys-ref.py
"""
import json, math, os
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(11)
N, D, T, C, H, STEPS = 8, 6, 5, 3, 4, 6
# tokens with a large per-position component (what centring removes) plus per-sample content
pos = rng.normal(scale=3.0, size=(1, T, D))
patches = (pos + rng.normal(size=(N, T, D))).astype(np.float32)
labels = (rng.uniform(size=(N, C)) < 0.4).astype(np.float32)
configs = [{"lr": 1e-2, "wd": 1e-4}, {"lr": 5e-2, "wd": 0.0}]
TOK = torch.tensor(patches, dtype=torch.float64)
MU = TOK.mean(0, keepdim=True)
Y = torch.tensor(labels, dtype=torch.float64)

def u(shape, bound):
    return torch.tensor(rng.uniform(-bound, bound, size=shape), dtype=torch.float64)

def make(layers):
    p = {"wq": u((D, C), 0.5)}
    if layers == 1:
        p["wv"] = u((D, C), 1 / math.sqrt(D))
    else:
        p["w1"] = u((D, H), 1 / math.sqrt(D)); p["b1"] = u((1, H), 1 / math.sqrt(D)); p["w2"] = u((H, C), 1 / math.sqrt(H))
    p["b"] = u((1, C), 0.3)
    return {k: v.requires_grad_(True) for k, v in p.items()}

def forward(layers, p):
    a = torch.softmax(torch.einsum("ntd,dc->ntc", TOK - MU, p["wq"]) / math.sqrt(D), dim=1)
    v = torch.einsum("ntd,dc->ntc", TOK, p["wv"]) if layers == 1 else torch.relu(torch.einsum("ntd,dh->nth", TOK, p["w1"]) + p["b1"]) @ p["w2"]
    return (a * v).sum(1) + p["b"], a

out = {"N": N, "D": D, "T": T, "C": C, "H": H, "steps": STEPS, "configs": configs, "patches": patches.ravel().tolist(),
       "labels": labels.ravel().tolist(), "cases": []}
for layers in (1, 2):
    heads = [make(layers) for _ in configs]
    init = [{k: v.detach().numpy().copy() for k, v in h.items()} for h in heads]
    losses = [[] for _ in configs]
    for gi, (cfg, p) in enumerate(zip(configs, heads)):
        opt = torch.optim.AdamW(list(p.values()), lr=cfg["lr"], weight_decay=cfg["wd"])
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * s / STEPS)))
        for _ in range(STEPS):
            opt.zero_grad()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(forward(layers, p)[0], Y)
            loss.backward(); opt.step(); sched.step()
            losses[gi].append(loss.item())
    out["cases"].append({"layers": layers, "init": [{k: v.ravel().tolist() for k, v in h.items()} for h in init],
                         "final": [{k: v.detach().numpy().ravel().tolist() for k, v in h.items()} for h in heads],
                         "losses": losses,
                         # attention [N, T, C] of each head after training
                         "attention": [forward(layers, h)[1].detach().numpy().ravel().tolist() for h in heads]})
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "adapters", "attentive-centred-keys.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(path))
