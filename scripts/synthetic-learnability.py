"""Learnability proxy for the synthetic CXR world (docs/synthetic.md, "Learnability check").

Logistic regression on 4x4-pooled pixels + 8x8-region max-pooled difference-of-Gaussians responses, trained on site A,
tested on A and B (test split). Make the two caches first (TypeScript):

    const prevalence = Object.fromEntries(FINDING_NAMES.map((n) => [n, 0.15]));
    await loadSynthetic({ n: 3000, size: 64, seed: 1, cacheDir: '/tmp/learn', populations: { popA: 1 }, prevalence });
    await loadSynthetic({ n: 3000, size: 64, seed: 2, cacheDir: '/tmp/learn', populations: { popB: 1 }, prevalence });

then: /usr/bin/python3 scripts/synthetic-learnability.py /tmp/learn
"""
import glob
import json
import sys

import numpy as np
from scipy import ndimage as ndi
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

NAMES = ["Effusion", "Support Devices", "Atelectasis", "Cardiomegaly", "Consolidation", "Nodule", "Pneumothorax",
         "Edema", "Emphysema", "Mass", "Pleural Thickening", "Fracture", "Calcification", "Hernia"]


def load(d):
    m = json.load(open(d + "/meta.json"))
    x = np.concatenate([np.load(d + "/" + s["file"]) for s in m["shards"]]).astype(np.float32) / 255
    return m, x


def feats(x):
    n, s, _ = x.shape
    out = [x.reshape(n, s // 4, 4, s // 4, 4).mean((2, 4)).reshape(n, -1)]
    for sig in (0.8, 1.6, 3.0):
        dog = ndi.gaussian_filter(x, (0, sig, sig)) - ndi.gaussian_filter(x, (0, 2 * sig, 2 * sig))
        g = s // 8
        for r in (dog, -dog):  # max over an 8x8 grid of regions ~ patch features + attentive pooling
            out.append(r.reshape(n, 8, g, 8, g).max((2, 4)).reshape(n, -1))
    return np.concatenate(out, 1)


def main(root):
    ds = {}
    for d in glob.glob(root + "/*/"):
        m, x = load(d.rstrip("/"))
        ds[m["options"]["populations"][0]["id"]] = (m, x)
    (ma, xa), (mb, xb) = ds["popA"], ds["popB"]
    sc = StandardScaler().fit(feats(xa))
    za, zb = sc.transform(feats(xa)), sc.transform(feats(xb))
    tr = np.array([r["split"] != "test" for r in ma["rows"]])
    teb = np.array([r["split"] == "test" for r in mb["rows"]])
    for nm in NAMES:
        y = np.array([r[nm] for r in ma["rows"]])
        yb = np.array([r[nm] for r in mb["rows"]])
        clf = LogisticRegression(C=0.01, max_iter=3000).fit(za[tr], y[tr])
        a = roc_auc_score(y[~tr], clf.predict_proba(za[~tr])[:, 1])
        b = roc_auc_score(yb[teb], clf.predict_proba(zb[teb])[:, 1])
        print(f"{nm:20s} AUROC A->A {a:.3f}  A->B {b:.3f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/learn")
