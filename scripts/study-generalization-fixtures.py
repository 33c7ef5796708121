"""Reference values for the tests of the generalization helpers (test/analysis/{transfer,roc-confusion,cobb-table,best-model}.test.ts, test/eval/{generalization,out-of-domain,pyramid-features}.test.ts, test/figures/ordered-spec.test.ts) (run with Debian's /usr/bin/python3: numpy + sklearn 1.2).

Writes test/fixtures/study/generalization.json:
  roc: a 3-class score matrix and labels -> sklearn roc_curve (drop_intermediate=True) of class 2 one-vs-rest;
  confusion: per-seed counts -> summed and row-normalised (sklearn confusion_matrix(normalize='true') of the pooled seeds);
  transfer: per-seed macro AUROC rows -> numpy means for domainPoints / transferSummary.
"""
import json, os
import numpy as np
from sklearn.metrics import roc_curve, confusion_matrix

rng = np.random.default_rng(7)
out = {}

# ROC of class 2 (one-vs-rest) from softmax-like scores
n, c = 40, 3
labels = rng.integers(0, c, n)
logits = rng.normal(size=(n, c)) + 1.2 * np.eye(c)[labels]
scores = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
scores = np.round(scores, 4)  # ties exercise drop_intermediate
fpr, tpr, thr = roc_curve((labels == 2).astype(int), scores[:, 2])
out['roc'] = {'labels': labels.tolist(), 'scores': scores.ravel().tolist(), 'k': 2, 'fpr': fpr.tolist(), 'tpr': tpr.tolist()}

# confusion matrices of two seeds over the same 3 classes
names = ['Normal', 'Pneumonia', 'COVID-19']
seeds = []
yt_all, yp_all = [], []
for s in range(2):
    yt = rng.integers(0, 3, 30)
    yp = np.where(rng.random(30) < 0.6, yt, rng.integers(0, 3, 30))
    seeds.append({'seed': s, 'matrix': confusion_matrix(yt, yp, labels=[0, 1, 2]).tolist()})
    yt_all.append(yt); yp_all.append(yp)
yt_all = np.concatenate(yt_all); yp_all = np.concatenate(yp_all)
out['confusion'] = {
    'names': names, 'seeds': seeds,
    'normalized': confusion_matrix(yt_all, yp_all, labels=[0, 1, 2], normalize='true').tolist(),
    'counts': confusion_matrix(yt_all, yp_all, labels=[0, 1, 2]).tolist(),
}

# transfer rows: 2 models x 3 seeds x train {popA, popB} x test {popA, popB}
rows = []
for m in ['ssl', 'sup']:
    for seed in range(3):
        for tr in ['popA', 'popB']:
            for te in ['popA', 'popB']:
                v = float(np.round(0.7 + 0.1 * rng.random() - (0.05 if tr != te else 0) - (0.04 if (m == 'sup' and tr != te) else 0), 6))
                rows.append({'model': m, 'task': f'train {tr}', 'dataset': 'synthetic-cxr', 'split': 'test', 'seed': seed, 'fold': 0,
                             'group': te, 'metric': 'auroc', 'value': v, 'config': ''})
summary = {}
for m in ['ssl', 'sup']:
    mine = [r for r in rows if r['model'] == m]
    ind = [r['value'] for r in mine if r['task'] == f"train {r['group']}"]
    ood = [r['value'] for r in mine if r['task'] != f"train {r['group']}"]
    summary[m] = {'in_domain': float(np.mean(ind)), 'out_of_domain': float(np.mean(ood)), 'drop': float(np.mean(ind) - np.mean(ood)), 'n': len(ind)}
out['transfer'] = {'rows': rows, 'summary': summary}

path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'study', 'generalization.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=1)
print('wrote', os.path.normpath(path))
