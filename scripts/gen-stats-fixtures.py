#!/usr/bin/python3
"""Reference values for lib/stats, from scipy 1.10 / scikit-learn 1.2 (Debian's /usr/bin/python3).

Writes test/fixtures/stats/*.json. Seeded (numpy default_rng(SEED)); rerun gives identical files.
Vectors are stored so that JS parses exactly the doubles Python used:
  - "ints" + "scale": value = int / scale (IEEE division, identical in both languages),
  - "modpoly" (big n, seed-free and compact): k_i = (a*i*i + b*i + c) % m, value = k_i / scale, i = 0..n-1,
    labels "modlabel": 1 if (a2*i*i + b2*i + c2) % 100 < base + (slope * k_i) // m else 0.
  - labels / binary masks as strings of '0'/'1' characters.
Usage: /usr/bin/python3 scripts/gen-stats-fixtures.py
"""
import json
import os
import sys
import warnings

import numpy as np
import scipy
import scipy.special as sp
import scipy.stats as st
import sklearn
from scipy.stats._mannwhitneyu import _mwu_state
from sklearn import metrics as skm

SEED = 20261128
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'stats')
rng = np.random.default_rng(SEED)
warnings.simplefilter('ignore')

META = {
    'generator': 'scripts/gen-stats-fixtures.py',
    'seed': SEED,
    'python': sys.version.split()[0],
    'numpy': np.__version__,
    'scipy': scipy.__version__,
    'sklearn': sklearn.__version__,
}


def fl(x):
    """JSON-safe float (NaN/inf as strings)."""
    x = float(x)
    if np.isnan(x):
        return 'NaN'
    if np.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    return x


def fls(xs):
    return [fl(x) for x in xs]


def bits(v):
    return ''.join('1' if int(b) else '0' for b in v)


def ints_vec(ints, scale):
    ints = np.asarray(ints, dtype=np.int64)
    return {'ints': ints.tolist(), 'scale': scale}, ints / scale


def modpoly(n, a, b, c, m, scale):
    i = np.arange(n, dtype=np.int64)
    k = (a * i * i + b * i + c) % m
    return {'modpoly': {'n': n, 'a': a, 'b': b, 'c': c, 'm': m, 'scale': scale}}, k, k / scale


def modlabel(n, k, m, a2, b2, c2, base, slope):
    i = np.arange(n, dtype=np.int64)
    r = (a2 * i * i + b2 * i + c2) % 100
    lab = (r < base + (slope * k) // m).astype(np.int64)
    spec = {'modlabel': {'n': n, 'a2': a2, 'b2': b2, 'c2': c2, 'base': base, 'slope': slope, 'm': m}}
    return spec, lab


def write(name, obj):
    obj = {'meta': META, **obj}
    path = os.path.join(OUT, name)
    with open(path, 'w') as f:
        json.dump(obj, f, separators=(',', ':'), allow_nan=False)
    print(f'{name}: {os.path.getsize(path) / 1024:.0f} KiB')


# ---------------------------------------------------------------- special functions
def gen_special():
    beta = []
    for a in [0.5, 1, 2.5, 10, 49.5, 500, 5e4]:
        for b in [0.5, 1, 3, 49.5, 5e4]:
            for x in [1e-12, 1e-4, 0.01, 0.2, 0.5, 0.7, 0.99, 1 - 1e-9]:
                v = sp.betainc(a, b, x)
                if v > 0:
                    beta.append([a, b, x, fl(v)])
    gamma = []
    for a in [0.5, 1, 3.3, 20, 1000]:
        for x in [1e-6, 0.1, 1, 5, 20, 100, 900, 1100]:
            gamma.append([a, x, fl(sp.gammainc(a, x)), fl(sp.gammaincc(a, x))])
    lgam = [[x, fl(sp.gammaln(x))] for x in [1e-8, 0.1, 0.5, 1, 1.5, 2, 3.7, 10, 171.3, 1e4, 2.5e5, 1e8]]
    normal = [[z, fl(st.norm.cdf(z)), fl(st.norm.sf(z))] for z in
              [-38, -20, -8, -3, -1.5, -0.3, 0, 1e-8, 0.25, 0.7, 1, 2, 3.5, 6, 10, 20, 30, 37.5]]
    t = []
    for df in [1, 2, 3.5, 4, 9, 29, 100.7, 1e4, 2e5]:
        for tv in [-50, -6, -2, -0.5, 0, 1e-6, 0.3, 1, 2.5, 5, 12, 40, 200]:
            t.append([df, tv, fl(sp.stdtr(df, tv)), fl(st.t.sf(tv, df))])
    write('special.json', {'betainc': beta, 'gamma': gamma, 'gammaln': lgam, 'normal': normal, 'stdtr': t})


# ---------------------------------------------------------------- AUROC / AP / curves
def binary_case(name, labels, scores, spec_labels, spec_scores, curves):
    labels = np.asarray(labels)
    case = {'name': name, 'n': int(labels.size), 'labels': spec_labels, 'scores': spec_scores}
    both = 0 < labels.sum() < labels.size
    case['auroc'] = fl(skm.roc_auc_score(labels, scores)) if both else None
    case['ap'] = fl(skm.average_precision_score(labels, scores)) if labels.sum() > 0 else None
    if curves and both:
        fpr, tpr, thr = skm.roc_curve(labels, scores)
        case['roc'] = {'fpr': fls(fpr), 'tpr': fls(tpr), 'thresholds': fls(thr)}
        fpr, tpr, thr = skm.roc_curve(labels, scores, drop_intermediate=False)
        case['rocAll'] = {'fpr': fls(fpr), 'tpr': fls(tpr), 'thresholds': fls(thr)}
    if curves and labels.sum() > 0:
        p, r, thr = skm.precision_recall_curve(labels, scores)
        case['pr'] = {'precision': fls(p), 'recall': fls(r), 'thresholds': fls(thr)}
    return case


def gen_auroc():
    cases = []
    for n in [2, 3, 5, 10, 30, 100, 300, 1000, 10000]:
        for ties in [True, False]:
            for prev in [0.5, 0.1, 0.02]:
                n_pos = max(1, int(round(prev * n)))
                if n_pos >= n:
                    n_pos = n - 1
                if n < 30 and prev != 0.5 and n_pos == 1 and prev == 0.02:
                    continue
                labels = np.zeros(n, dtype=np.int64)
                labels[rng.choice(n, n_pos, replace=False)] = 1
                latent = rng.normal(size=n) + 1.2 * labels
                u = st.norm.cdf(latent / 1.6)
                if ties:
                    scale = 20 if n <= 100 else 1000  # coarse: many ties
                    ints = np.round(u * scale).astype(np.int64)
                else:
                    # distinct: the rank of the latent score (a permutation of 0..n-1), over n
                    scale = n
                    ints = np.argsort(np.argsort(latent, kind='mergesort'), kind='mergesort')
                spec, scores = ints_vec(ints, scale)
                cases.append(binary_case(f'n{n}-{"ties" if ties else "noties"}-prev{prev}', labels, scores,
                                         bits(labels), spec, curves=n <= 1000))
    # all tied, perfectly separated, reversed
    for name, lab, ints in [('all-tied', [0, 1, 0, 1, 1], [3, 3, 3, 3, 3]), ('separated', [0, 0, 1, 1], [1, 2, 3, 4]),
                            ('reversed', [1, 1, 0, 0, 0], [1, 2, 3, 4, 5]), ('negative-scores', [0, 1, 1, 0], [-5, -1, -3, -2])]:
        spec, scores = ints_vec(ints, 1)
        cases.append(binary_case(name, np.array(lab), scores, bits(lab), spec, curves=True))
    # big n, compact formula encodings: with ties (quadratic residues, 10^4 levels) and without (linear, m prime)
    for name, (a, b, c, m, scale), lab in [
            ('n100000-ties-modpoly', (37, 11, 5, 10007, 10007), (13, 7, 3, 5, 40)),
            ('n100000-noties-modpoly', (0, 7919, 17, 100003, 100003), (17, 3, 1, 2, 30)),
            ('n100000-ties-rare-modpoly', (29, 3, 1, 1009, 1009), (0, 7, 5, 0, 2))]:
        spec_s, k, scores = modpoly(100000, a, b, c, m, scale)
        spec_l, labels = modlabel(100000, k, m, *lab)
        cases.append(binary_case(name, labels, scores, spec_l, spec_s, curves=False))
    write('auroc.json', {'cases': cases})


# ---------------------------------------------------------------- macro / binned
def gen_macro():
    cases = []
    for n, C in [(40, 5), (500, 12), (2000, 15)]:
        prev = np.concatenate([rng.uniform(0.002, 0.009, C // 4), rng.uniform(0.01, 0.1, C // 3),
                               rng.uniform(0.1, 0.5, C - C // 4 - C // 3)])
        Y = (rng.uniform(size=(C, n)) < prev[:, None]).astype(float)
        S = np.round(rng.normal(size=(C, n)) + 1.5 * Y, 3)
        Y[:, rng.uniform(size=n) < 0.05] = np.nan  # whole rows unknown
        Y[rng.uniform(size=(C, n)) < 0.05] = np.nan  # scattered unknown labels
        Y[0] = np.where(np.isnan(Y[0]), np.nan, 0.0)  # class 0 single-valued (no positive) -> skipped
        per_auroc, per_ap = [], []
        for c in range(C):
            known = ~np.isnan(Y[c])
            y, s = Y[c][known], S[c][known]
            per_auroc.append(fl(skm.roc_auc_score(y, s)) if 0 < y.sum() < y.size else None)
            per_ap.append(fl(skm.average_precision_score(y, s)) if y.sum() > 0 else None)
        train_prev = np.round(prev, 4)
        train_prev[1] = 0.01  # edge cases: exactly on the edges
        train_prev[2] = 0.1
        cases.append({'name': f'n{n}-C{C}', 'Y': [[None if np.isnan(v) else int(v) for v in row] for row in Y],
                      'S': S.tolist(), 'trainPrevalence': train_prev.tolist(),
                      'perClassAuroc': per_auroc, 'perClassAp': per_ap})
    write('macro.json', {'cases': cases})


# ---------------------------------------------------------------- Mann-Whitney U
def gen_mwu():
    cases = []

    def add(name, x, y):
        results = []
        for alt in ['two-sided', 'less', 'greater']:
            for method in ['auto', 'exact', 'asymptotic']:
                for cont in [True, False]:
                    if method == 'exact' and not cont:
                        continue  # continuity does not apply
                    if method == 'exact' and len(x) * len(y) > 40000:
                        continue
                    try:
                        r = st.mannwhitneyu(x, y, alternative=alt, method=method, use_continuity=cont)
                    except RecursionError:
                        continue
                    results.append({'alternative': alt, 'method': method, 'useContinuity': cont,
                                    'U': fl(r.statistic), 'p': fl(r.pvalue)})
        cases.append({'name': name, 'x': fls(x), 'y': fls(y), 'results': results})

    add('scipy-doc', [19, 22, 16, 29, 24], [20, 11, 17, 12])
    add('n1-1', [1.5], [0.5])
    for n1, n2, shift, ties in [(3, 4, 0.5, False), (8, 8, 0.0, False), (8, 8, 10, False), (5, 12, 1.0, False),
                                (7, 40, 0.8, False), (4, 150, 0.3, False), (9, 9, 1.0, False), (20, 20, 0.7, False),
                                (20, 20, 0.7, True), (6, 10, 0.5, True), (50, 70, 0.4, True), (300, 250, 0.2, False),
                                (1000, 1200, 0.1, True), (400, 400, 3.0, False), (3000, 2000, 0.05, True)]:
        x = rng.normal(size=n1) + shift
        y = rng.normal(size=n2)
        if ties:
            x, y = np.round(x * 2) / 2, np.round(y * 2) / 2
        else:
            x, y = np.round(x, 6), np.round(y, 6)
        add(f'n{n1}-n{n2}-shift{shift}{"-ties" if ties else ""}', x, y)
    # exact null distribution, every k
    dist = []
    for m, n in [(1, 1), (2, 3), (5, 5), (8, 8), (3, 20), (8, 30), (12, 15)]:
        k = np.arange(0, m * n + 1)
        dist.append({'m': m, 'n': n, 'cdf': fls(_mwu_state.cdf(k, m, n))})
    write('mann-whitney.json', {'cases': cases, 'exactCdf': dist})


# ---------------------------------------------------------------- t-tests
def gen_ttest():
    ind, rel = [], []
    for n1, n2, shift, sd2 in [(2, 2, 1.0, 1.0), (2, 3, 0.5, 3.0), (5, 5, 1.0, 1.0), (5, 5, 0.2, 2.0), (5, 7, 4.0, 0.5),
                               (5, 5, 12.0, 1.0), (20, 30, 0.3, 1.5), (100, 80, 2.0, 1.0), (1000, 1500, 0.05, 1.2),
                               (10000, 9000, 0.3, 1.0)]:
        a = np.round(rng.normal(size=n1) + shift, 5)
        b = np.round(rng.normal(size=n2) * sd2, 5)
        results = []
        for ev in [True, False]:
            for alt in ['two-sided', 'less', 'greater']:
                r = st.ttest_ind(a, b, equal_var=ev, alternative=alt)
                results.append({'equalVar': ev, 'alternative': alt, 't': fl(r.statistic), 'p': fl(r.pvalue)})
        ind.append({'a': fls(a), 'b': fls(b), 'results': results})
        if n1 == n2:
            b2 = np.round(a - shift + rng.normal(size=n1) * 0.3 - 0.1 * shift, 5)
            results = []
            for alt in ['two-sided', 'less', 'greater']:
                r = st.ttest_rel(a, b2, alternative=alt)
                results.append({'alternative': alt, 't': fl(r.statistic), 'p': fl(r.pvalue)})
            rel.append({'a': fls(a), 'b': fls(b2), 'results': results})
    # big n via formula
    spec_a, _, a = modpoly(100000, 37, 11, 5, 10007, 1000)
    spec_b, _, b = modpoly(100000, 41, 3, 900, 10009, 1000)
    results = []
    for ev in [True, False]:
        r = st.ttest_ind(a, b, equal_var=ev)
        results.append({'equalVar': ev, 'alternative': 'two-sided', 't': fl(r.statistic), 'p': fl(r.pvalue)})
    ind.append({'a': spec_a, 'b': spec_b, 'results': results})
    r = st.ttest_rel(a, b)
    rel.append({'a': spec_a, 'b': spec_b, 'results': [{'alternative': 'two-sided', 't': fl(r.statistic),
                                                       'p': fl(r.pvalue)}]})
    write('t-test.json', {'ind': ind, 'rel': rel})


# ---------------------------------------------------------------- Pearson, r2, sMAPE
def gen_regression():
    pearson, r2, smape = [], [], []
    for n, rho in [(2, 0.5), (3, 0.5), (4, -0.9), (10, 0.0), (10, 0.99), (30, 0.5), (100, 0.97), (100, -0.3),
                   (1000, 0.1), (5000, 0.8), (10000, 0.01)]:
        x = rng.normal(size=n)
        y = rho * x + np.sqrt(1 - rho ** 2) * rng.normal(size=n)
        x, y = np.round(x * 10 + 40, 5), np.round(y * 10 + 40, 5)
        results = []
        for alt in ['two-sided', 'less', 'greater']:
            r = st.pearsonr(x, y, alternative=alt)
            results.append({'alternative': alt, 'r': fl(r.statistic), 'p': fl(r.pvalue)})
        d = (np.abs(x) + np.abs(y)) / 2
        # the same vectors serve r2 and sMAPE (truth = x, prediction = y)
        pearson.append({'x': fls(x), 'y': fls(y), 'results': results, 'r2': fl(skm.r2_score(x, y)),
                        'smape': fl(100 * np.mean(np.where(d > 0, np.abs(y - x) / np.where(d > 0, d, 1), 0)))})
    spec_x, _, x = modpoly(100000, 37, 11, 5, 10007, 1000)
    spec_y, _, y = modpoly(100000, 37, 11, 905, 10007, 1000)  # shifted residues: correlated
    r = st.pearsonr(x, y)
    pearson.append({'x': spec_x, 'y': spec_y, 'results': [{'alternative': 'two-sided', 'r': fl(r.statistic),
                                                            'p': fl(r.pvalue)}]})
    # special r2 cases: constant truth, perfect prediction
    for yt, yp in [([3, 3, 3], [3, 3, 3]), ([3, 3, 3], [3, 2, 3]), ([1, 2, 3], [1, 2, 3]), ([1, 2, 3], [3, 2, 1])]:
        r2.append({'yTrue': yt, 'yPred': yp, 'r2': fl(skm.r2_score(yt, yp))})
    smape.append({'yTrue': [0, 0, 2, -1], 'yPred': [0, 1, 2, 1], 'smape': 100 * (0 + 2 + 0 + 2) / 4})
    write('regression.json', {'pearson': pearson, 'r2': r2, 'smape': smape})


# ---------------------------------------------------------------- classification
def gen_classification():
    cases = []
    for n, K, acc in [(5, 2, 0.6), (30, 3, 0.7), (200, 4, 0.5), (1000, 5, 0.8), (1000, 3, 0.95)]:
        t = rng.integers(0, K, size=n)
        p = np.where(rng.uniform(size=n) < acc, t, rng.integers(0, K, size=n))
        if K >= 4:
            t = np.where(t == 3, 2, t)  # class 3 appears only in predictions
        cases.append({'yTrue': t.tolist(), 'yPred': p.tolist(),
                      'labels': sorted(set(t.tolist()) | set(p.tolist())),
                      'accuracy': fl(skm.accuracy_score(t, p)),
                      'balancedAccuracy': fl(skm.balanced_accuracy_score(t, p)),
                      'f1Macro': fl(skm.f1_score(t, p, average='macro')),
                      'f1Micro': fl(skm.f1_score(t, p, average='micro')),
                      'confusion': skm.confusion_matrix(t, p).tolist()})
    # explicit label subset incl. one absent from both
    t, p = [0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 1, 1, 0, 0]
    cases.append({'yTrue': t, 'yPred': p, 'labelsOpt': [0, 1, 5],
                  'f1MacroLabels': fl(skm.f1_score(t, p, average='macro', labels=[0, 1, 5])),
                  'f1MicroLabels': fl(skm.f1_score(t, p, average='micro', labels=[0, 1, 5])),
                  'confusionLabels': skm.confusion_matrix(t, p, labels=[0, 1, 5]).tolist()})
    # dice / iou on binary masks (dice = sklearn f1 on the flattened masks, iou = jaccard)
    dice = []
    for n, pa, pb, agree in [(16, 0.3, 0.3, 0.8), (1000, 0.1, 0.1, 0.9), (4096, 0.02, 0.03, 0.99), (50, 0.5, 0.5, 0.5)]:
        a = (rng.uniform(size=n) < pa).astype(int)
        b = np.where(rng.uniform(size=n) < agree, a, (rng.uniform(size=n) < pb).astype(int))
        dice.append({'pred': bits(b), 'truth': bits(a), 'dice': fl(skm.f1_score(a, b)),
                     'iou': fl(skm.jaccard_score(a, b))})
    write('classification.json', {'cases': cases, 'dice': dice})


# ---------------------------------------------------------------- p adjustments (numpy reimplementation of
# statsmodels.stats.multitest.multipletests 'holm' / 'bonferroni'; statsmodels is not installed here)
def holm_np(p):
    p = np.asarray(p, dtype=float)
    m = p.size
    order = np.argsort(p, kind='mergesort')
    adj = np.minimum(1, (m - np.arange(m)) * p[order])
    adj = np.maximum.accumulate(adj)
    out = np.empty(m)
    out[order] = adj
    return out


def gen_padjust():
    cases = []
    for m in [1, 2, 5, 20]:
        p = rng.uniform(size=m) ** 3
        cases.append({'p': fls(p), 'holm': fls(holm_np(p)), 'bonferroni': fls(np.minimum(1, m * p))})
    p = [0.01, 0.04, 0.03, 0.005, 0.04]
    cases.append({'p': p, 'holm': fls(holm_np(p)), 'bonferroni': fls(np.minimum(1, 5 * np.array(p)))})
    write('p-adjust.json', {'cases': cases})


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    gen_special()
    gen_auroc()
    gen_macro()
    gen_mwu()
    gen_ttest()
    gen_regression()
    gen_classification()
    gen_padjust()
