#!/usr/bin/python3
"""Times the same DINOv2-style ViT in PyTorch (forward images/s, optional train step) for lib/bench/vit.ts.

Run with OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE (the fair baseline on 2-core VMs: default OpenMP
settings run about 2× slower there and would flatter any comparison).
argv[1]: JSON list of {key, img, patch, dim, depth, heads, hidden, batch, iters, train?}. Prints one JSON object
{key: fp32 images_per_second, key + "_bf16": ..., key + "_train": ..., "torch": version, "bf16": why/"yes"}, from the best
of `iters` timed calls. Forward runs under torch.inference_mode(); bf16 is the one line a user adds,
torch.autocast("cpu", dtype=torch.bfloat16), and runs only where torch.backends.cpu.get_cpu_capability() reports an
AVX-512 or AMX level and oneDNN has bf16 kernels (elsewhere autocast emulates bf16 and is slower than fp32).
"""
import importlib.util
import json
import os
import sys
import time

import torch

spec = importlib.util.spec_from_file_location("ref", os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch-vit-reference.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)


def best_of(n, fn):
    """Seconds per call, best of n (other processes on a shared VM only ever add time)."""
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bf16_support():
    """'yes', or why bf16 autocast is not measured on this CPU / torch."""
    cap = torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends.cpu, "get_cpu_capability") else "unknown"
    if "AVX512" not in cap and "AMX" not in cap:
        return f"cpu capability {cap}"
    try:
        if not torch.ops.mkldnn._is_mkldnn_bf16_supported():
            return f"cpu capability {cap}, no oneDNN bf16"
    except (AttributeError, RuntimeError):
        return f"cpu capability {cap}, torch {torch.__version__} cannot tell oneDNN bf16"
    return "yes"


def main():
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    torch.manual_seed(0)
    bf16 = bf16_support()
    out = {"torch": torch.__version__, "bf16": bf16}
    for c in json.loads(sys.argv[1]):
        m = ref.DinoVisionTransformer(img_size=c["img"], patch=c["patch"], dim=c["dim"], depth=c["depth"], heads=c["heads"],
                                      hidden=c["hidden"], registers=0, ls=1e-5, variant="dinov2", in_chans=c.get("chans", 3))
        x = torch.randn(c["batch"], c.get("chans", 3), c["img"], c["img"])
        m.eval()
        with torch.inference_mode():
            m(x)  # warm-up
            out[c["key"]] = c["batch"] / best_of(c["iters"], lambda: m(x))
            if bf16 == "yes":
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    m(x)
                    out[c["key"] + "_bf16"] = c["batch"] / best_of(c["iters"], lambda: m(x))
        if c.get("train"):
            m.train()
            opt = torch.optim.AdamW(m.parameters(), lr=1e-4)

            def step():
                o = m(x)
                loss = o["cls"].square().mean() + o["patches"].square().mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
            step()
            out[c["key"] + "_train"] = c["batch"] / best_of(c["iters"], step)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
