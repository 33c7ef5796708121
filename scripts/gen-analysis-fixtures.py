#!/usr/bin/python3
"""Reference values for lib/analysis, from numpy 1.24 / scipy 1.10 / scikit-learn 1.2 / torch (Debian's /usr/bin/python3).

Writes test/fixtures/analysis/*.json. Seeded (numpy default_rng(SEED)); rerun gives identical files.
pandas is not installed on this machine, so the pandas-style numbers (sample sd with ddof=1, NaN skipped, unique
patients) are computed with numpy exactly as pandas would: Series.std() == np.std(x[~isnan(x)], ddof=1).
Float32 inputs (patch tokens, attention maps) are written as the exact doubles of their float32 values, so JS parses
the same numbers into a Float32Array.
Usage: /usr/bin/python3 scripts/gen-analysis-fixtures.py
"""
import itertools
import json
import os
import sys

import numpy as np
import scipy
import scipy.stats as st
import sklearn
import torch
import torch.nn.functional as F
from sklearn.metrics import accuracy_score, average_precision_score, balanced_accuracy_score, roc_auc_score

SEED = 20261128
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'analysis')
rng = np.random.default_rng(SEED)
META = {
    'generator': 'scripts/gen-analysis-fixtures.py', 'seed': SEED, 'python': sys.version.split()[0],
    'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__, 'torch': torch.__version__,
}


def fl(x):
    x = float(x)
    return None if np.isnan(x) else x


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump({'meta': META, **obj}, f, indent=1)
        f.write('\n')


# ---------------------------------------------------------------- sample table (demographics + slicing)
FINDINGS = ['Effusion', 'Nodule', 'Cardiomegaly']


def sample_table(n=160):
    rows = []
    patient = 0
    i = 0
    while i < n:
        k = int(rng.integers(1, 4))  # 1-3 images per patient, all in one split (patient-level splits)
        split = ['train', 'val', 'test'][int(rng.choice(3, p=[0.5, 0.2, 0.3]))]
        sex = [None, 'F', 'M'][int(rng.choice(3, p=[0.08, 0.47, 0.45]))]
        age0 = None if rng.uniform() < 0.07 else float(np.round(rng.uniform(18, 92), 1))
        pop = 'A' if rng.uniform() < 0.6 else 'B'
        for j in range(min(k, n - i)):
            age = None if age0 is None else float(np.round(age0 + j * 0.5, 1))
            view = 'AP' if rng.uniform() < 0.35 else 'PA'
            labels = {}
            for c, name in enumerate(FINDINGS):
                p = [0.3, 0.15, 0.25][c] + (0.15 if (age or 50) > 60 else 0)
                v = float(rng.uniform() < p)
                if rng.uniform() < 0.06:
                    v = None  # unknown label
                labels[name] = v
            nf = 1.0 if rng.uniform() < 0.3 else 0.0
            if rng.uniform() < 0.05:
                nf = None
            age_bin = None if age is None else ('Young' if age < 35 else 'Middle' if age < 60 else 'Elder')
            rows.append({'id': f's{i:03d}', 'patient': f'p{patient:03d}', 'split': split, 'sex': sex, 'age': age,
                         'age_bin': age_bin, 'population': pop, 'view': view, **labels, 'No Finding': nf})
            i += 1
        patient += 1
    return rows


rows = sample_table()
N = len(rows)


def col(name):
    return np.array([np.nan if r[name] is None else r[name] for r in rows], dtype=float) if name in FINDINGS + ['No Finding', 'age'] \
        else np.array([r[name] for r in rows], dtype=object)


def demo_stats(mask):
    sex = col('sex')[mask]
    age = col('age')[mask]
    age = age[~np.isnan(age)]
    lab = np.stack([col(c)[mask] for c in FINDINGS], 1)
    nf_all_zero = np.all(lab == 0, axis=1)  # NaN != 0: a row with an unknown label and no positive is not "no finding"
    nf_col = col('No Finding')[mask] == 1
    f = int(np.sum(sex == 'F'))
    m = int(np.sum(sex == 'M'))
    return {
        'n_images': int(mask.sum()),
        'n_patients': int(len(set(col('patient')[mask]))),
        'n_sex_known': f + m,
        'pct_female': fl(100 * f / (f + m)) if f + m else None,
        'n_age_known': int(len(age)),
        'age_mean': fl(age.mean()) if len(age) else None,
        'age_sd': fl(age.std(ddof=1)) if len(age) > 1 else None,
        'pct_no_finding_rule': fl(100 * nf_all_zero.mean()),
        'pct_no_finding_column': fl(100 * nf_col.mean()),
    }


splits = col('split')
pops = col('population')
demo = {'overall': [], 'by_population': []}
for s in ['train', 'val', 'test']:
    demo['overall'].append({'split': s, **demo_stats(splits == s)})
    for p in ['A', 'B']:
        demo['by_population'].append({'split': s, 'population': p, **demo_stats((splits == s) & (pops == p))})
demo['overall'].append({'split': 'all', **demo_stats(np.ones(N, bool))})

# ---------------------------------------------------------------- predictions (4 sets, e.g. 4 seeds) on every row
Y = np.stack([col(c) for c in FINDINGS], 1)
sets = []
for s in range(4):
    noise = rng.normal(0, 1.0, size=Y.shape)
    # group-dependent signal: weaker for population B and for AP views, so slices differ
    strength = np.where(pops == 'B', 0.6, 1.4)[:, None] * np.where(col('view') == 'AP', 0.7, 1.0)[:, None]
    logits = strength * (np.nan_to_num(Y, nan=0.5) * 2 - 1) + noise
    scores = (1 / (1 + np.exp(-logits))).astype(np.float32)
    sets.append(scores)


def macro(metric, y, s):
    vals = []
    for c in range(y.shape[1]):
        k = ~np.isnan(y[:, c])
        yc, sc = y[k, c], s[k, c]
        if metric == 'auroc' and 0 < yc.sum() < len(yc):
            vals.append(roc_auc_score(yc, sc))
        if metric == 'auprc' and yc.sum() > 0:
            vals.append(average_precision_score(yc, sc))
    return (float(np.mean(vals)) if vals else None), len(vals)


ages = col('age')
age_edges = [0, 40, 60, np.inf]
age_names = ['[0, 40)', '[40, 60)', '>=60']


def groups_of(column):
    if column == 'age':
        out = {}
        for k, name in enumerate(age_names):
            lo, hi = age_edges[k], age_edges[k + 1]
            out[name] = (ages >= lo) & (ages < hi)
        out['(missing)'] = np.isnan(ages)
        return out
    v = col(column)
    names = sorted({x for x in v if x is not None})
    out = {g: v == g for g in names}
    miss = np.array([x is None for x in v])
    if miss.any():
        out['(missing)'] = miss
    return out


slices = []
for column in ['sex', 'population', 'view', 'age']:
    for metric in ['auroc', 'auprc']:
        for g, mask in groups_of(column).items():
            per_set = [macro(metric, Y[mask], sc[mask]) for sc in sets]
            y = Y[mask]
            pos = int(np.sum(np.nansum(y == 1, axis=1) > 0))
            vals = [v for v, _ in per_set]
            slices.append({'column': column, 'metric': metric, 'group': g, 'n': int(mask.sum()), 'positives': pos,
                           'per_set': [fl(v) if v is not None else None for v in vals],
                           'value': fl(np.mean(vals)) if all(v is not None for v in vals) else None,
                           'sd': fl(np.std(vals, ddof=1)) if all(v is not None for v in vals) else None,
                           'classes': per_set[0][1]})

# pairwise: Mann-Whitney over the per-set values of two groups (sex F vs M, population A vs B)
pairs = []
for column, a, b in [('sex', 'F', 'M'), ('population', 'A', 'B'), ('view', 'AP', 'PA')]:
    ga, gb = groups_of(column)[a], groups_of(column)[b]
    va = [macro('auroc', Y[ga], sc[ga])[0] for sc in sets]
    vb = [macro('auroc', Y[gb], sc[gb])[0] for sc in sets]
    r = st.mannwhitneyu(va, vb, alternative='two-sided')
    pairs.append({'column': column, 'a': a, 'b': b, 'value_a': float(np.mean(va)), 'value_b': float(np.mean(vb)),
                  'diff': float(np.mean(va) - np.mean(vb)), 'U': float(r.statistic), 'p_mw': float(r.pvalue)})

# exact permutation p of an AUROC difference (small groups, one set, one class): every split of the pooled samples
perm_n_a, perm_n_b = 7, 7
perm_y = np.array([1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0], dtype=float)
perm_s = np.round(rng.uniform(0, 1, perm_n_a + perm_n_b), 3)
perm_s[:perm_n_a] = np.round(0.4 * perm_s[:perm_n_a] + 0.6 * perm_y[:perm_n_a], 3)  # group a separates classes better
perm_s = perm_s.astype(np.float32)


def auc_or_none(y, s):
    return roc_auc_score(y, s) if 0 < y.sum() < len(y) else None


obs = auc_or_none(perm_y[:perm_n_a], perm_s[:perm_n_a]) - auc_or_none(perm_y[perm_n_a:], perm_s[perm_n_a:])
count = valid = 0
idx = np.arange(perm_n_a + perm_n_b)
for comb in itertools.combinations(idx, perm_n_a):
    ma = np.zeros(len(idx), bool)
    ma[list(comb)] = True
    xa, xb = auc_or_none(perm_y[ma], perm_s[ma]), auc_or_none(perm_y[~ma], perm_s[~ma])
    if xa is None or xb is None:
        continue
    valid += 1
    count += abs(xa - xb) >= abs(obs) - 1e-12
perm = {'labels': perm_y.tolist(), 'scores': [float(x) for x in perm_s], 'n_a': perm_n_a, 'n_b': perm_n_b,
        'diff': float(obs), 'p_exact': count / valid, 'valid': valid}

# multi-class (3 classes) predictions on the test rows: accuracy, balanced accuracy, macro one-vs-rest AUROC by sex
cls = rng.integers(0, 3, N)
logit = rng.normal(0, 1, (N, 3)) + 1.5 * np.eye(3)[cls]
soft = np.exp(logit) / np.exp(logit).sum(1, keepdims=True)
soft = soft.astype(np.float32)
mc = []
for g, mask in groups_of('sex').items():
    yt, sc = cls[mask], soft[mask]
    pred = sc.argmax(1)
    ovr = [roc_auc_score(yt == c, sc[:, c]) for c in range(3) if 0 < (yt == c).sum() < len(yt)]
    mc.append({'group': g, 'n': int(mask.sum()), 'accuracy': float(accuracy_score(yt, pred)),
               'balanced_accuracy': float(balanced_accuracy_score(yt, pred)), 'auroc': float(np.mean(ovr))})

write('samples.json', {
    'rows': rows, 'findings': FINDINGS, 'demographics': demo,
    'predictions': {'ids': [r['id'] for r in rows], 'classNames': FINDINGS,
                    'sets': [[float(x) for x in s.ravel()] for s in sets]},
    'slices': slices, 'pairs': pairs, 'permutation': perm,
    'multiclass': {'classes': [int(c) for c in cls], 'scores': [float(x) for x in soft.ravel()], 'bySex': mc},
})

# ---------------------------------------------------------------- DINOv2-style PCA colour maps
n_img, gh, gw, d = 3, 6, 7, 16
bg = rng.normal(0, 1, d)
fgv = rng.normal(0, 1, d) * 3
dirs = np.linalg.qr(rng.normal(0, 1, (d, 3)))[0].T  # 3 orthonormal directions of within-body variation
patches = np.zeros((n_img, gh * gw, d))
for im in range(n_img):
    for r in range(gh):
        for c in range(gw):
            body = 1 <= c <= gw - 2 and r >= 1  # body: every column but the borders, below the first row
            if body:
                coef = np.array([np.sin(r + im), np.cos(c * 0.9 - im), (r * c) / (gh * gw) - 0.3]) * [3.0, 2.0, 1.2]
                v = fgv + coef @ dirs
            else:
                v = bg.copy()
            patches[im, r * gw + c] = v + rng.normal(0, 0.05, d)
patches = patches.astype(np.float32)


def pca(x, k):
    x = x.astype(np.float64)
    xc = x - x.mean(0)
    cov = xc.T @ xc / (len(x) - 1)
    w, v = np.linalg.eigh(cov)
    order = np.argsort(w)[::-1]
    w, v = w[order], v[:, order]
    for j in range(v.shape[1]):  # sign convention: the largest-|.| loading is positive
        if v[np.argmax(np.abs(v[:, j])), j] < 0:
            v[:, j] = -v[:, j]
    return xc @ v[:, :k], w[:k] / np.trace(cov), v[:, :k], w


X = patches.reshape(-1, d)
p1, ex1, v1, _ = pca(X, 3)
t = (p1[:, 0] - p1[:, 0].min()) / (p1[:, 0].max() - p1[:, 0].min())
above = t > 0.5
fg = above if above.sum() * 2 >= len(t) else ~above  # 'majority': the body fills most of a chest film
p2, ex2, v2, _ = pca(X[fg], 3)
norm = (p2 - p2.min(0)) / (p2.max(0) - p2.min(0))
rgb = np.zeros((len(X), 3))
rgb[fg] = np.round(norm * 255)
# an eigen-solver check on a covariance with close eigenvalues
q = np.linalg.qr(rng.normal(0, 1, (40, 40)))[0]
lam = np.concatenate([[10, 9.5, 9.0, 3.0, 2.9], np.linspace(1.0, 0.01, 35)])
cov = (q * lam) @ q.T
w_all, v_all = np.linalg.eigh(cov)
order = np.argsort(w_all)[::-1]
write('pca.json', {
    'n': n_img, 'gridH': gh, 'gridW': gw, 'dim': d, 'patches': [float(x) for x in patches.ravel()],
    'first': {'explained': [float(x) for x in ex1], 'components': [float(x) for x in v1.T.ravel()],
              'projection0': [float(x) for x in p1[:, 0]]},
    'foreground': [int(x) for x in fg],
    'second': {'explained': [float(x) for x in ex2], 'components': [float(x) for x in v2.T.ravel()]},
    'rgb': [int(x) for x in rgb.ravel()],
    'eigen': {'dim': 40, 'matrix': [float(x) for x in cov.ravel()], 'values': [float(x) for x in w_all[order]],
              'vectors': [float(x) for x in v_all[:, order].T.ravel()]},
})

# ---------------------------------------------------------------- attention upsampling (torch bilinear, align_corners=False)
att_cases = []
for (h, w, size) in [(4, 4, 16), (3, 5, 10), (6, 6, 7)]:
    m = rng.uniform(0, 1, h * w).astype(np.float32)
    m = (m / m.sum()).astype(np.float32)
    up = F.interpolate(torch.from_numpy(m.astype(np.float64)).reshape(1, 1, h, w), size=(size, size), mode='bilinear',
                       align_corners=False).reshape(-1).numpy()
    up = (up - up.min()) / (up.max() - up.min())
    am = int(np.argmax(m))
    att_cases.append({'gridH': h, 'gridW': w, 'size': size, 'map': [float(x) for x in m], 'image': [float(x) for x in up],
                      'argmax': am})
write('attention.json', {'cases': att_cases})

# ---------------------------------------------------------------- a tidy ResultTable: mean / sd (ddof=1) / n per (model, group)
res_rows = []
for model, base in [('raydino', 0.85), ('supervised', 0.78)]:
    for seed in range(5):
        for g in ['Effusion', 'Nodule', 'Cardiomegaly', 'macro']:
            v = float(np.round(base + rng.normal(0, 0.03), 6))
            if model == 'supervised' and seed == 2 and g == 'Nodule':
                v = None  # an undefined value (NaN in the table): left out of the mean, counted as missing
            res_rows.append({'model': model, 'task': 'classification', 'dataset': 'synthetic', 'split': 'test', 'seed': seed,
                             'fold': 0, 'group': g, 'metric': 'auroc', 'value': v, 'config': ''})
            res_rows.append({'model': model, 'task': 'classification', 'dataset': 'synthetic', 'split': 'test', 'seed': seed,
                             'fold': 0, 'group': g, 'metric': 'auprc', 'value': float(np.round(base - 0.3 + rng.normal(0, 0.05), 6)),
                             'config': ''})
summary = []
for model in ['raydino', 'supervised']:
    for g in ['Effusion', 'Nodule', 'Cardiomegaly', 'macro']:
        v = np.array([r['value'] for r in res_rows if r['model'] == model and r['group'] == g and r['metric'] == 'auroc'
                      and r['value'] is not None])
        summary.append({'model': model, 'group': g, 'mean': float(v.mean()), 'sd': float(v.std(ddof=1)), 'n': int(len(v)),
                        'min': float(v.min()), 'max': float(v.max())})
write('results.json', {'rows': res_rows, 'auroc_summary': summary})
print('wrote', OUT)
