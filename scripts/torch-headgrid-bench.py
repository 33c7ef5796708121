#!/usr/bin/python3
"""PyTorch baseline for lib/bench/headgrid.ts: one epoch of H linear heads trained together as ONE wide 2-D matmul grid
(x [B, D] @ W [D, H*C]), masked-BCE loss, AdamW with a per-head (per-column) learning rate — the same computation as
our HeadGrid's avg-linear family. Run with 2 threads and OMP_WAIT_POLICY=PASSIVE (the fair setting on these VMs,
/work/shared/perf-notes.md). Prints one JSON object.
usage: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/torch-headgrid-bench.py N D C H BATCH [THREADS]
"""
import json, sys, time
import torch

n, d, c, h, bs = (int(v) for v in sys.argv[1:6])
threads = int(sys.argv[6]) if len(sys.argv) > 6 else 2
torch.set_num_threads(threads)
torch.manual_seed(0)
x = torch.randn(n, d)
y = (torch.rand(n, c) < 0.1).float()
w = (torch.rand(d, h * c) * 2 - 1) / d ** 0.5
b = torch.zeros(1, h * c)
w.requires_grad_(True); b.requires_grad_(True)
lrs = torch.logspace(-5, -1, h).repeat_interleave(c)[None, :]  # per-head lr, one per column
wd = 1e-4
state = {id(p): (torch.zeros_like(p), torch.zeros_like(p)) for p in (w, b)}
t = 0


def adamw_(p):
    # torch.optim.AdamW's single-tensor update with a per-column lr (betas 0.9/0.999, eps 1e-8)
    m, v = state[id(p)]
    g = p.grad
    m.mul_(0.9).add_(g, alpha=0.1)
    v.mul_(0.999).addcmul_(g, g, value=0.001)
    bc1, bc2 = 1 - 0.9 ** t, 1 - 0.999 ** t
    p.mul_(1 - lrs * wd)
    p.sub_((lrs / bc1) * m / (v.sqrt() / bc2 ** 0.5 + 1e-8))


def step(xb, yb):
    global t
    w.grad = None; b.grad = None
    z = (xb @ w + b).view(-1, h, c)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, yb[:, None, :].expand_as(z), reduction="mean") * h
    loss.backward()
    t += 1
    with torch.no_grad():
        adamw_(w)
        adamw_(b)


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
print(json.dumps({"s_per_epoch": dt, "cpu_s_per_epoch": cpu, "steps": steps, "threads": threads, "torch": torch.__version__}))
