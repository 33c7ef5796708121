#!/usr/bin/python3
"""Reference verdicts for lib/stats/verdict.ts (scipy via Debian's /usr/bin/python3).

Each case is a family of comparisons given as raw samples (small integers / 1000, so JS reads the same doubles):
scipy.stats.ttest_ind (equal variances, two-sided) over seeds or scipy.stats.mannwhitneyu (two-sided, method 'auto')
over folds, then Holm's step-down adjustment written out by hand (statsmodels is not installed on Debian's python;
this is statsmodels multipletests(method='holm')'s definition) and the decision adjusted p <= alpha.
Usage: /usr/bin/python3 scripts/verdict-fixtures.py  → test/fixtures/stats/verdict.json
"""
import json
import os

import numpy as np
import scipy.stats as st

ALPHA = 0.05


def holm(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: (p[i], i))
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def case(name, test, comps):
    rows = []
    for a, b, xa, xb in comps:
        va = [x / 1000 for x in xa]
        vb = [x / 1000 for x in xb]
        if test == 't':
            p = float(st.ttest_ind(va, vb, equal_var=True).pvalue)
        else:
            p = float(st.mannwhitneyu(va, vb, alternative='two-sided', method='auto').pvalue)
        rows.append({'a': a, 'b': b, 'ints_a': xa, 'ints_b': xb, 'p': p, 'mean_a': float(np.mean(va)), 'mean_b': float(np.mean(vb))})
    adj = holm([r['p'] for r in rows])
    for r, h in zip(rows, adj):
        r['p_holm'] = h
        r['significant'] = h <= ALPHA
    return {'name': name, 'test': test, 'alpha': ALPHA, 'comparisons': rows}


rng = np.random.default_rng(12)
cases = [
    # 5 seeds each, well separated: every comparison significant after Holm
    case('separated t', 't', [
        ('ssl', 'random', [812, 815, 809, 818, 811], [702, 699, 705, 708, 700]),
        ('ssl', 'supervised', [812, 815, 809, 818, 811], [760, 758, 765, 761, 757]),
    ]),
    # overlapping CIs (the NIH case of issue 12): no significant difference
    case('overlapping t', 't', [
        ('ssl', 'random', [712, 690, 731, 705, 698], [701, 688, 720, 679, 706]),
        ('ssl', 'supervised', [712, 690, 731, 705, 698], [695, 730, 684, 712, 700]),
    ]),
    # raw p significant on its own (< 0.05) but not after Holm over 3 comparisons
    case('holm flips one', 't', [
        ('a', 'b', [500, 520, 510, 530, 515], [494, 504, 498, 508, 496]),
        ('a', 'c', [500, 520, 510, 530, 515], [300, 310, 305, 298, 302]),
        ('a', 'd', [500, 520, 510, 530, 515], [505, 515, 498, 525, 509]),
    ]),
    # Mann-Whitney over 10 folds: one separated, one overlapping
    case('folds mann-whitney', 'mw', [
        ('same sex', 'other sex', [int(x) for x in 800 + rng.integers(0, 20, 10)], [int(x) for x in 760 + rng.integers(0, 20, 10)]),
        ('same sex', 'other sex', [int(x) for x in 800 + rng.integers(0, 40, 10)], [int(x) for x in 795 + rng.integers(0, 40, 10)]),
    ]),
]

# ttest_ind_from_stats (equal variances): tables keeping mean / SD / n per bar instead of the seeds
from_stats = []
for ma, sa, na, mb, sb, nb in [(0.81, 0.012, 5, 0.70, 0.02, 5), (0.72, 0.05, 3, 0.70, 0.04, 5), (0.5, 0.1, 10, 0.52, 0.2, 2)]:
    r = st.ttest_ind_from_stats(ma, sa, na, mb, sb, nb, equal_var=True)
    from_stats.append({'args': [ma, sa, na, mb, sb, nb], 't': float(r.statistic), 'p': float(r.pvalue)})

# ttest_1samp against a fixed value (an encoder's seeds vs a figure's floor), kept as mean / SD / n of the samples
one_sample = []
for x, mu in [([0.80, 0.81, 0.83, 0.79, 0.82], 0.793), ([0.70, 0.74, 0.69], 0.756), ([0.55, 0.61, 0.58, 0.60], 0.5)]:
    r = st.ttest_1samp(x, mu)
    one_sample.append({'args': [float(np.mean(x)), float(np.std(x, ddof=1)), len(x), mu], 't': float(r.statistic), 'p': float(r.pvalue)})

path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'stats', 'verdict.json')
with open(path, 'w') as f:
    json.dump({'generator': 'scripts/verdict-fixtures.py', 'cases': cases, 'from_stats': from_stats, 'one_sample': one_sample}, f, indent=1)
    f.write('\n')
print('wrote', path)
