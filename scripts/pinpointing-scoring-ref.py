#!/usr/bin/python3
"""Reference for the pinpointing rule of lib/eval/explainability/pinpointing.ts (pinpoint, pinpointingAccuracy), written from issue #6
item 7 independently of the TypeScript: the max-attention patch (numpy.argmax: first on ties) is a hit when its overlap
with one of the finding's boxes covers >= half the patch's area (half the box's when the box is smaller than a patch);
chance = fraction of the grid's patches that would be hits; accuracy per class, macro = mean over classes.
Patch (r, c) of a gridH x gridW grid covers [c W/gridW, (c+1) W/gridW) x [r H/gridH, (r+1) H/gridH) (shapely-free boxes).
Writes test/fixtures/eval/pinpointing-scoring.json. Run: /usr/bin/python3 scripts/pinpointing-scoring-ref.py
"""
import json, os
import numpy as np

rng = np.random.default_rng(5)
cases = []
for k in range(40):
    gh, gw = [(8, 8), (4, 3), (7, 5)][k % 3]
    W, H = [(64, 64), (40, 30), (101, 77)][k % 3]
    label = ["A", "B", "C"][k % 3 if k < 30 else 0]
    nb = 1 + (k % 4 == 0)
    boxes = []
    for _ in range(nb):
        w, h = rng.uniform(1, W / 2), rng.uniform(1, H / 2)
        boxes.append({"x": float(rng.uniform(0, W - w)), "y": float(rng.uniform(0, H - h)), "w": float(w), "h": float(h)})
    m = rng.random(gh * gw)
    if k % 5 == 0:
        m[:] = 0.5  # tie everywhere: argmax is patch 0
    pw, ph = W / gw, H / gh
    def ov(p, b):
        r, c = divmod(p, gw)
        ix = max(0.0, min((c + 1) * pw, b["x"] + b["w"]) - max(c * pw, b["x"]))
        iy = max(0.0, min((r + 1) * ph, b["y"] + b["h"]) - max(r * ph, b["y"]))
        return ix * iy / min(pw * ph, b["w"] * b["h"])
    hitp = np.array([any(ov(p, b) >= 0.5 for b in boxes) for p in range(gh * gw)])
    if k % 7 == 3:  # put the maximum on a hit patch when there is one (so hits occur)
        idx = np.flatnonzero(hitp)
        if len(idx): m[idx[0]] = 2.0
    a = int(np.argmax(m))
    cases.append({"gridH": gh, "gridW": gw, "width": W, "height": H, "label": label, "boxes": boxes, "map": m.tolist(),
                  "argmax": a, "hit": bool(hitp[a]), "chance": float(hitp.mean())})
per = {}
for c in cases:
    per.setdefault(c["label"], []).append((c["hit"], c["chance"]))
acc = {l: (float(np.mean([h for h, _ in v])), float(np.mean([ch for _, ch in v])), len(v)) for l, v in per.items()}
out = {"cases": cases, "byClass": acc, "macro": float(np.mean([a[0] for a in acc.values()])), "macroChance": float(np.mean([a[1] for a in acc.values()]))}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "eval", "pinpointing-scoring.json")
json.dump(out, open(path, "w"))
print("wrote", os.path.normpath(path), "hits", sum(c["hit"] for c in cases), "of", len(cases))
