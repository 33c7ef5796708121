"""Reference numbers for test/study/bias.test.ts and test/eval/spurious-cue.test.ts, test/analysis/pinpointing.test.ts (numpy / scipy / pandas).
Run: /usr/bin/python3 scripts/study-bias-explainability-fixtures.py > test/fixtures/study/bias-explainability.json
"""
import json
import numpy as np
from scipy.stats import mannwhitneyu

rng = np.random.default_rng(7)
out = {}

# --- patchMassInBox: a 4x4 map upsampled piecewise-constantly to 64x48 pixels (each patch 16x12), mass inside boxes
gh, gw, W, H = 4, 4, 64, 48
m = rng.random(gh * gw); m = m / m.sum()
up = np.kron(m.reshape(gh, gw), np.ones((H // gh, W // gw))) / ((H // gh) * (W // gw))
boxes = [dict(x=10, y=5, w=30, h=20), dict(x=0, y=0, w=64, h=48), dict(x=50, y=40, w=30, h=30), dict(x=16, y=12, w=16, h=12)]
out['mass'] = dict(map=m.tolist(), gridH=gh, gridW=gw, width=W, height=H, boxes=boxes,
                   expected=[float(up[b['y']:b['y'] + b['h'], b['x']:b['x'] + b['w']].sum()) for b in boxes])

# --- biasMatrix / describe: per-fold AUROC of train x test groups, mean and sample SD over folds; Mann-Whitney F vs M
folds = 6
groups = ['F', 'M', 'All']
rows = []
for g1 in groups:
    for g2 in groups:
        base = 0.7 + (0.05 if g2 == 'M' else 0) + (0.02 if g1 == g2 else 0)
        for f in range(folds):
            rows.append(dict(model='enc', seed=0, fold=f, group=f'train={g1}|test={g2}', metric='auroc', value=float(base + 0.03 * rng.standard_normal())))
vals = {}
for r in rows:
    vals.setdefault(r['group'], []).append(r['value'])
mw = []
for g in groups:
    a = np.array(vals[f'train={g}|test=F'])
    b = np.array(vals[f'train={g}|test=M'])
    r = mannwhitneyu(a, b, alternative='two-sided')
    mw.append(dict(model='enc', seed=0, fold=-1, group=f'train={g}|F vs M', metric='mannwhitney_p', value=float(r.pvalue)))
out['bias'] = dict(rows=rows + mw,
                   matrix=[dict(train_group=k.split('|')[0][6:], test_group=k.split('|')[1][5:], value=float(np.mean(v)), sd=float(np.std(v, ddof=1)), n=len(v))
                           for k, v in vals.items()])

# --- tableS2 on a tiny table (pandas conventions: % female over known sex, age sd ddof=1 over known ages)
split = ['train'] * 5 + ['test'] * 3
sex = ['F', 'F', 'M', None, 'F', 'M', 'M', 'F']
age = [30, 31, 50, 70, None, 40, 60, 80]
res = []
for s, keep in [('train', [x == 'train' for x in split]), ('test', [x == 'test' for x in split]), ('all', [True] * 8)]:
    sx = [v for v, k in zip(sex, keep) if k and v is not None]
    ag = np.array([v for v, k in zip(age, keep) if k and v is not None], float)
    res.append(dict(split=s, pct_female=100 * sum(v == 'F' for v in sx) / len(sx), age_mean=float(ag.mean()), age_sd=float(ag.std(ddof=1))))
out['demo'] = dict(rows=[dict(split=a, patient=b, sex=c, age=d) for a, b, c, d in zip(split, ['a', 'a', 'b', 'c', 'd', 'e', 'f', 'g'], sex, age)], expected=res)
print(json.dumps(out, indent=1))
