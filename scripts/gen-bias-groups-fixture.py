#!/usr/bin/python3
"""Reference for lib/analysis biasGroupDemographics (the paper's Table S2: one row per bias group) from numpy.

Reads the rows of test/fixtures/analysis/samples.json (made by gen-analysis-fixtures.py, which needs torch; this one
does not) and writes test/fixtures/analysis/bias-groups.json. pandas conventions computed with numpy: age sd with
ddof=1 over known ages, % female over known sexes, % no finding = ('No Finding' == 1).mean() over every row of the group.
Groups: sex F / M, age_bin Young / Middle / Elder; rows with sex or age_bin None belong to no group of that attribute.
Usage: /usr/bin/python3 scripts/gen-bias-groups-fixture.py
"""
import json
import os
import sys

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'analysis')
rows = json.load(open(os.path.join(HERE, 'samples.json')))['rows']


def fl(x):
    x = float(x)
    return None if np.isnan(x) else x


def stats(sel, splits=None):
    sel = [r for r in sel if splits is None or r['split'] in splits]
    sex = np.array([r['sex'] for r in sel], dtype=object)
    age = np.array([np.nan if r['age'] is None else r['age'] for r in sel], dtype=float)
    age = age[~np.isnan(age)]
    nf = np.array([r['No Finding'] == 1 for r in sel], dtype=bool)
    f, m = int(np.sum(sex == 'F')), int(np.sum(sex == 'M'))
    return {
        'n_images': len(sel), 'n_patients': len({r['patient'] for r in sel}), 'n_sex_known': f + m,
        'pct_female': fl(100 * f / (f + m)) if f + m else None, 'n_age_known': int(len(age)),
        'age_mean': fl(age.mean()) if len(age) else None, 'age_sd': fl(age.std(ddof=1)) if len(age) > 1 else None,
        'pct_no_finding': fl(100 * nf.mean()) if len(sel) else None,
    }


GROUPS = [('sex', 'sex', 'F', 'Female'), ('sex', 'sex', 'M', 'Male'), ('age', 'age_bin', 'Young', 'Young'),
          ('age', 'age_bin', 'Middle', 'Middle'), ('age', 'age_bin', 'Elder', 'Elder')]
out = {'meta': {'generator': 'scripts/gen-bias-groups-fixture.py', 'python': sys.version.split()[0], 'numpy': np.__version__},
       'all': [], 'test': []}
for attribute, column, value, group in GROUPS:
    sel = [r for r in rows if r[column] == value]
    out['all'].append({'attribute': attribute, 'group': group, **stats(sel)})
    out['test'].append({'attribute': attribute, 'group': group, **stats(sel, {'test'})})
with open(os.path.join(HERE, 'bias-groups.json'), 'w') as fh:
    json.dump(out, fh, indent=1)
    fh.write('\n')
