#!/usr/bin/python3
"""PyTorch baseline for lib/bench/headgrid.ts: one epoch of H linear heads trained together as ONE wide 2-D matmul
(x [B, D] @ [W_1 … W_H] [D, H*C]), masked-BCE loss, the same computation as our HeadGrid's avg-linear family — written as a
user would: one weight and one bias tensor per head, each head its own param group with its lr in the built-in
torch.optim.AdamW (foreach implementation). Run with 2 threads and OMP_WAIT_POLICY=PASSIVE (the fair setting on these
VMs). Prints one JSON object.
usage: OMP_WAIT_POLICY=PASSIVE python scripts/torch-headgrid-bench.py N D C H BATCH [THREADS]
"""
import json, sys, time
import torch

n, d, c, h, bs = (int(v) for v in sys.argv[1:6])
threads = int(sys.argv[6]) if len(sys.argv) > 6 else 2
torch.set_num_threads(threads)
torch.manual_seed(0)
x = torch.randn(n, d)
y = (torch.rand(n, c) < 0.1).float()
ws = [((torch.rand(d, c) * 2 - 1) / d ** 0.5).requires_grad_(True) for _ in range(h)]
bs_ = [torch.zeros(c, requires_grad=True) for _ in range(h)]
lrs = torch.logspace(-5, -1, h).tolist()  # per-head lr
opt = torch.optim.AdamW([{"params": [w, b], "lr": lr} for w, b, lr in zip(ws, bs_, lrs)], weight_decay=1e-4, foreach=True)


def step(xb, yb):
    opt.zero_grad(set_to_none=True)
    z = (xb @ torch.cat(ws, 1) + torch.cat(bs_)).view(-1, h, c)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, yb[:, None, :].expand_as(z), reduction="mean") * h
    loss.backward()
    opt.step()


steps = n // bs
step(x[:bs], y[:bs])  # warm-up
t0 = time.perf_counter()
c0 = time.process_time()  # CPU seconds of all threads: less sensitive than wall time to a loaded machine
perm = torch.randperm(n)
for s in range(steps):
    idx = perm[s * bs:(s + 1) * bs]
    step(x[idx], y[idx])
dt = time.perf_counter() - t0
cpu = time.process_time() - c0
print(json.dumps({"s_per_epoch": dt, "cpu_s_per_epoch": cpu, "steps": steps, "threads": threads, "torch": torch.__version__, "precision": "fp32", "optimizer": "torch.optim.AdamW foreach, one param group per head"}))
