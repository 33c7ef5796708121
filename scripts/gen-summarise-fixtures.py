#!/usr/bin/env python3
"""Reference numbers for test/analysis/summarise.test.ts (seed summaries): scipy.stats t quantiles, t-intervals and ttest_ind.
Run: /usr/bin/python3 scripts/gen-summarise-fixtures.py > test/fixtures/analysis/summarise.json"""
import json
import numpy as np
import scipy
from scipy import stats

a = [0.81, 0.83, 0.80, 0.84, 0.82]   # encoder A, 5 seeds
b = [0.71, 0.75, 0.70, 0.73, 0.74]   # encoder B
c = [0.80, 0.79, 0.83]               # encoder C, 3 seeds
out = {"scipy": scipy.__version__, "a": a, "b": b, "c": c, "quantiles": {}, "intervals": {}, "ttest": {}}
for df in [1, 2, 4, 9, 30]:
    out["quantiles"][str(df)] = stats.t.ppf(0.975, df)
for name, x in [("a", a), ("b", b), ("c", c)]:
    x = np.array(x)
    lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    out["intervals"][name] = {"mean": x.mean(), "sd": x.std(ddof=1), "lo": lo, "hi": hi}
for name, x in [("b", b), ("c", c)]:
    r = stats.ttest_ind(a, x, equal_var=True)
    out["ttest"][name] = {"t": r.statistic, "p": r.pvalue}
print(json.dumps(out, indent=1))
