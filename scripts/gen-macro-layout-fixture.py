#!/usr/bin/python3
"""Reference values for the layout option of lib/stats macroAuroc / macroAuprc / binnedMacroAuprc (issue 14).

scikit-learn's layout: y_true / y_score of shape (n_samples, n_classes). 200 samples × 3 classes, read the other way
round, are 200 "classes" of 3 samples and give a different (wrong) macro AUROC; the fixture holds sklearn's numbers
for the right reading and, for the record, the numbers of that wrong reading.
Scores are stored as integers k with value k / 10000 so that JS parses exactly the doubles Python used.
Writes test/fixtures/stats/macro-layout.json. Seeded; rerun gives an identical file.
Usage: /usr/bin/python3 scripts/gen-macro-layout-fixture.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics as skm

SEED = 20261205
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'stats', 'macro-layout.json')
rng = np.random.default_rng(SEED)

n, k = 200, 3
y = (rng.random((n, k)) < np.array([0.3, 0.15, 0.5])).astype(int)
# Scores weakly related to the labels, so each class has an AUROC well inside (0.5, 1).
k_scores = np.clip(np.round((0.35 * y + rng.random((n, k)) * 0.65) * 10000), 0, 10000).astype(int)
s = k_scores / 10000.0

per_auroc = [float(skm.roc_auc_score(y[:, c], s[:, c])) for c in range(k)]
per_ap = [float(skm.average_precision_score(y[:, c], s[:, c])) for c in range(k)]
# The transposed ("classes × samples") reading of the same matrices: 200 classes of 3 samples each; a class whose
# 3 labels agree is undefined for AUROC and is left out, as lib/stats does.
wrong = [float(skm.roc_auc_score(y[i], s[i])) for i in range(n) if 0 < y[i].sum() < k]

fixture = {
    'meta': {'sklearn': sklearn.__version__, 'numpy': np.__version__, 'seed': SEED,
             'script': 'scripts/gen-macro-layout-fixture.py'},
    'nSamples': n, 'nClasses': k,
    'Y': y.tolist(),
    'scoresInt': k_scores.tolist(), 'scoreScale': 10000,
    'trainPrevalence': [0.005, 0.05, 0.4],
    'perClassAuroc': per_auroc, 'perClassAp': per_ap,
    'macroAuroc': float(skm.roc_auc_score(y, s, average='macro')),
    'macroAuprc': float(skm.average_precision_score(y, s, average='macro')),
    'transposedReadingMacroAuroc': float(np.mean(wrong)),
}
with open(OUT, 'w') as f:
    json.dump(fixture, f, separators=(',', ':'))
    f.write('\n')
print(f"wrote {OUT}: macro AUROC {fixture['macroAuroc']:.4f} (transposed reading {fixture['transposedReadingMacroAuroc']:.4f}), macro AP {fixture['macroAuprc']:.4f}")
