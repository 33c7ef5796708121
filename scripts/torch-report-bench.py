#!/usr/bin/python3
"""Times the report-generation model of lib/text/report-model.ts in PyTorch, for lib/bench/report.ts.

The architecture is scripts/torch-report-model-ref.py's (the gradient check), written with torch.nn modules the way a
user would write it today: pre-norm blocks (LayerNorm eps 1e-5, fused qkv split [3, heads, dh], exact GELU, attention
through F.scaled_dot_product_attention — causal in the LM, over the prefix too, as the additive mask of the reference),
adapter = LayerNorm(eps 1e-6) -> linear + positions, M learned queries before the patch tokens, final LayerNorm, the
queries' outputs as the prefix; LM = token + position embeddings after the prefix, tied output embedding. Captioning
step: cross-entropy on the findings positions (the others ignore_index), torch.optim.AdamW with the model's groups
(adapter at lr, LM at lr × lmLrScale, weight decay on matrices only — ReportModel.train: none on .b / .g), warm-up +
cosine through LambdaLR. Greedy decoding recomputes the whole sequence each step (as ReportModel.generate: no KV
cache) for exactly the number of steps ours ran, so both decode the same positions.

Run with OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE (lib/bench/python.ts). argv[1]: JSON {vocab, dModel, heads, mlpRatio,
maxText, prefixTokens, lmLayers, adapterLayers, tokens, dim, batch: [{ids, lossFrom}], steps, lr, lmLrScale, weightDecay,
prompts: [[ids]] (one length), decodeSteps, beamWidth, beamSteps: [steps per study, the first prompts]}. Prints one JSON
object {torch, bf16, train_s_per_step, decode_s, beam_s, beam_positions, and train_bf16_s_per_step / decode_bf16_s /
beam_bf16_s when bf16 is "yes"}: training as the mean over the timed steps, decoding as one timed run, each after a
warm-up. Beam search is a plain top-k loop over width × vocab scores (sum of log-probabilities), run for each study's
step count without <eos> bookkeeping (the step counts already say when ours stopped).
bf16 is torch.autocast("cpu", dtype=torch.bfloat16) around the forward, only where torch-vit-bench.py's bf16_support says
the CPU has native bf16 kernels.
"""
import importlib.util
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

_spec = importlib.util.spec_from_file_location("vit_bench", os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch-vit-bench.py"))
vit_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vit_bench)


class Block(nn.Module):
    def __init__(self, d, heads, mlp, causal):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.ln1 = nn.LayerNorm(d, eps=1e-5)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d, eps=1e-5)
        self.fc1 = nn.Linear(d, d * mlp)
        self.fc2 = nn.Linear(d * mlp, d)

    def forward(self, x):
        B, L, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(B, L, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        o = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal).transpose(1, 2).reshape(B, L, d)
        x = x + self.proj(o)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class Adapter(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, self.M = c["dModel"], c["prefixTokens"]
        self.in_norm = nn.LayerNorm(c["dim"], eps=1e-6)
        self.inp = nn.Linear(c["dim"], d)
        self.pos = nn.Parameter(0.02 * torch.randn(c["tokens"], d))
        self.query = nn.Parameter(0.02 * torch.randn(self.M, d))
        self.blocks = nn.ModuleList([Block(d, c["heads"], c["mlpRatio"], False) for _ in range(c["adapterLayers"])])
        self.norm = nn.LayerNorm(d, eps=1e-5)

    def forward(self, patches):
        B = patches.shape[0]
        h = torch.cat([self.query.expand(B, -1, -1), self.inp(self.in_norm(patches)) + self.pos], 1)
        for b in self.blocks:
            h = b(h)
        return self.norm(h)[:, :self.M]


class LM(nn.Module):
    def __init__(self, c):
        super().__init__()
        d = c["dModel"]
        self.tok = nn.Embedding(c["vocab"], d)
        nn.init.normal_(self.tok.weight, std=0.02)
        self.pos = nn.Parameter(0.02 * torch.randn(c["maxText"], d))
        self.blocks = nn.ModuleList([Block(d, c["heads"], c["mlpRatio"], True) for _ in range(c["lmLayers"])])
        self.norm = nn.LayerNorm(d, eps=1e-5)

    def forward(self, ids, prefix, last_only=False):
        L = ids.shape[1]
        x = torch.cat([prefix, self.tok(ids) + self.pos[:L]], 1)
        for b in self.blocks:
            x = b(x)
        h = self.norm(x[:, -1:] if last_only else x[:, prefix.shape[1]:])
        return F.linear(h, self.tok.weight)


def param_groups(module, lr, wd):
    decay = [p for p in module.parameters() if p.ndim >= 2]
    flat = [p for p in module.parameters() if p.ndim < 2]
    return [{"params": decay, "lr": lr, "weight_decay": wd}, {"params": flat, "lr": lr, "weight_decay": 0.0}]


def padded(batch):
    """Inputs and targets as ReportModel.batchNll pads them (PAD = 0); targets outside the findings are ignored."""
    L = max(len(e["ids"]) for e in batch) - 1
    inp = torch.zeros(len(batch), L, dtype=torch.long)
    tgt = torch.full((len(batch), L), -100, dtype=torch.long)
    for b, e in enumerate(batch):
        ids = e["ids"]
        inp[b, :len(ids) - 1] = torch.tensor(ids[:-1])
        for t in range(e["lossFrom"] - 1, len(ids) - 1):
            tgt[b, t] = ids[t + 1]
    return inp, tgt


def train_seconds(a, bf16):
    torch.manual_seed(0)
    adapter, lm = Adapter(a), LM(a)
    opt = torch.optim.AdamW(param_groups(adapter, a["lr"], a["weightDecay"]) + param_groups(lm, a["lr"] * a["lmLrScale"], a["weightDecay"]))
    steps = a["steps"]
    warm = max(1, round(steps * 0.05))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, steps - warm))))
    inp, tgt = padded(a["batch"])
    patches = torch.randn(len(a["batch"]), a["tokens"], a["dim"])

    def step():
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = lm(inp, adapter(patches))
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), tgt.reshape(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        return loss.item()

    step()
    t = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - t) / steps


def decode_seconds(a, bf16):
    torch.manual_seed(0)
    adapter, lm = Adapter(a), LM(a)
    prompts = torch.tensor(a["prompts"], dtype=torch.long)
    patches = torch.randn(prompts.shape[0], a["tokens"], a["dim"])

    def run(steps):
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            pre = adapter(patches)
            seqs = prompts
            for _ in range(steps):
                nxt = lm(seqs, pre, last_only=True)[:, -1].argmax(-1)
                seqs = torch.cat([seqs, nxt[:, None]], 1)
        return seqs

    run(2)
    t = time.perf_counter()
    run(a["decodeSteps"])
    return time.perf_counter() - t


def beam_seconds(a, bf16):
    """A user's top-k beam loop, one study at a time, each for the step count ours ran; returns (seconds, positions)."""
    torch.manual_seed(0)
    adapter, lm = Adapter(a), LM(a)
    width, V = a["beamWidth"], a["vocab"]
    prompts = torch.tensor(a["prompts"], dtype=torch.long)
    patches = torch.randn(len(a["beamSteps"]), a["tokens"], a["dim"])
    positions = 0

    def run(i, steps):
        nonlocal positions
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            pre = adapter(patches[i:i + 1])
            seqs, scores = prompts[i:i + 1], torch.zeros(1)
            for _ in range(steps):
                positions += seqs.shape[0]
                logp = F.log_softmax(lm(seqs, pre.expand(seqs.shape[0], -1, -1), last_only=True)[:, -1].float(), -1)
                scores, idx = (scores[:, None] + logp).flatten().topk(width)
                seqs = torch.cat([seqs[idx // V], (idx % V)[:, None]], 1)
        return seqs

    run(0, 2)
    positions = 0
    t = time.perf_counter()
    for i, steps in enumerate(a["beamSteps"]):
        run(i, steps)
    return time.perf_counter() - t, positions


def main():
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    a = json.loads(sys.argv[1])
    bf16 = vit_bench.bf16_support()
    beam_s, beam_positions = beam_seconds(a, False)
    out = {"torch": torch.__version__, "bf16": bf16, "train_s_per_step": train_seconds(a, False), "decode_s": decode_seconds(a, False),
           "beam_s": beam_s, "beam_positions": beam_positions}
    if bf16 == "yes":
        out["train_bf16_s_per_step"] = train_seconds(a, True)
        out["decode_bf16_s"] = decode_seconds(a, True)
        out["beam_bf16_s"] = beam_seconds(a, True)[0]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
