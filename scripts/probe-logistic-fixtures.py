#!/usr/bin/env python3
"""Reference scores for lib/pretrain/logistic.ts (logisticPath) from scikit-learn's LogisticRegression.

Debian: apt install python3-sklearn. Writes test/fixtures/pretrain/logistic.json:
  /usr/bin/python3 scripts/probe-logistic-fixtures.py
Each case: float32 features, labels [class][row] with NaN = unknown (that row is left out of the class's fit), the
features standardised with the train rows' mean and population sd (as lib/stats standardiseColumns), one binary
LogisticRegression(C) per class fitted to convergence, and its decision function on the eval rows.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'pretrain', 'logistic.json')
rng = np.random.default_rng(11)


def case(n_tr, n_ev, d, k, cs, unknown=0.0):
    X = (rng.normal(size=(n_tr, d)) * rng.uniform(0.5, 3, size=d) + rng.normal(size=d)).astype(np.float32)
    E = (rng.normal(size=(n_ev, d)) * 2).astype(np.float32)
    Y = (X[:, :k] @ rng.normal(size=(k, k)) + rng.normal(size=(n_tr, k)) > 0.3).astype(float)
    Y[rng.uniform(size=Y.shape) < unknown] = np.nan
    X64, E64 = X.astype(np.float64), E.astype(np.float64)
    mu, sd = X64.mean(0), X64.std(0)
    Ztr, Zev = (X64 - mu) / sd, (E64 - mu) / sd
    scores = []
    for C in cs:
        per = []
        for c in range(k):
            keep = ~np.isnan(Y[:, c])
            m = LogisticRegression(C=C, tol=1e-12, max_iter=100000).fit(Ztr[keep], Y[keep, c])
            per.append(m.decision_function(Zev).tolist())
        scores.append(per)
    return dict(nTrain=n_tr, nEval=n_ev, d=d, Cs=cs, trainX=X.reshape(-1).tolist(), evalX=E.reshape(-1).tolist(),
                trainY=[[None if np.isnan(v) else v for v in Y[:, c]] for c in range(k)], scores=scores)


fx = {
    'sklearn': sklearn.__version__,
    # fewer features than rows, unknown labels, a C path from strong to weak regularisation
    'tall': case(60, 12, 6, 3, [0.01, 0.1, 1.0], unknown=0.1),
    # more features than rows (the raw-pixel probe's shape)
    'wide': case(30, 8, 50, 2, [0.01, 0.3]),
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump(fx, f)
print('wrote', os.path.normpath(OUT))
