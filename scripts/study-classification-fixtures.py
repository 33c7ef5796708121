#!/usr/bin/python3
"""Reference numbers for test/analysis/{seed-bars,skipped-classes,seg-sets}.test.ts, test/eval/organ-segmentation.test.ts, test/plots/segmentation-panels.test.ts, test/figures/readable.test.ts and test/study/long-tail.test.ts (scipy 1.10 / sklearn 1.2).

barsWithP: mean over seeds, 95 % t-interval (scipy.stats.t.interval), two-sided t-test p vs the best model
(scipy.stats.ttest_ind, equal_var=True). skipped: sklearn roc_auc_score per class on a tiny multi-label set.
Run: /usr/bin/python3 scripts/study-classification-fixtures.py > test/fixtures/study/classification.json
"""
import json
import numpy as np
from scipy import stats
from sklearn.metrics import roc_auc_score, average_precision_score

rng = np.random.default_rng(7)
models = {"ssl": 0.82, "supervised": 0.78, "random": 0.65}
datasets = ["synthetic-cxr", "nih"]
values = {d: {m: list(np.round(mu + (0.02 if d == "nih" else 0.005) * rng.standard_normal(5), 6)) for m, mu in models.items()} for d in datasets}
expect = []
for d in datasets:
    best = max(models, key=lambda m: np.mean(values[d][m]))
    for m in models:
        x = np.array(values[d][m])
        lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
        p = None if m == best else float(stats.ttest_ind(values[d][best], x, equal_var=True).pvalue)
        expect.append({"dataset": d, "model": m, "mean": float(x.mean()), "lo": float(lo), "hi": float(hi), "p": p, "best": best})

# a 6-sample, 3-class multi-label test set: class 1 has a single label value -> skipped by macro AUROC
Y = np.array([[1, 0, 1], [0, 0, 0], [1, 0, 1], [0, 0, 0], [1, 0, 0], [0, 0, 1]], dtype=float)
S = np.round(rng.random((6, 3)), 4)
auc = [float(roc_auc_score(Y[:, k], S[:, k])) if len(set(Y[:, k])) > 1 else None for k in range(3)]
ap = [float(average_precision_score(Y[:, k], S[:, k])) if Y[:, k].sum() > 0 else None for k in range(3)]
print(json.dumps({"values": values, "bars": expect, "multilabel": {"Y": Y.tolist(), "S": S.tolist(), "auroc": auc, "auprc": ap}}, indent=1))
