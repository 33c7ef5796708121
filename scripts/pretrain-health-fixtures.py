"""Reference values for lib/pretrain/health.ts (numpy): mean row entropy, mean within-row sd, mean pairwise cosine and
effective rank (Roy & Vetterli 2007: exp of the entropy of the normalised singular values of the row-centred matrix).

    /usr/bin/python3 scripts/pretrain-health-fixtures.py   # writes test/fixtures/pretrain/health.json
"""
import json
import numpy as np

rng = np.random.default_rng(7)
cases = []
for n, d in [(6, 4), (5, 9), (12, 3)]:
    x = rng.normal(size=(n, d)) + rng.normal(size=(1, d)) * 2  # a shared component, as collapsed CLS tokens have
    logits = rng.normal(size=(n, d)) * 0.3
    p = np.exp(logits / 0.1); p /= p.sum(1, keepdims=True)
    u = x / np.linalg.norm(x, axis=1, keepdims=True)
    c = u @ u.T
    cos = (c.sum() - np.trace(c)) / (n * (n - 1))
    s = np.linalg.svd(x - x.mean(0), compute_uv=False)
    q = s / s.sum()
    q = q[q > 0]
    cases.append(dict(n=n, d=d, x=x.ravel().tolist(), logits=logits.ravel().tolist(), probs=p.ravel().tolist(),
                      entropy=float((-(p * np.log(p)).sum(1)).mean()), row_sd=float(logits.std(1).mean()),
                      cosine=float(cos), effective_rank=float(np.exp(-(q * np.log(q)).sum()))))
# degenerate: identical rows (rank 0 after centring) and rank one
one = np.outer(np.arange(1, 6), [1.0, -2.0, 0.5])
cases.append(dict(n=5, d=3, x=one.ravel().tolist(), logits=np.zeros(15).tolist(), probs=(np.ones(15) / 3).tolist(),
                  entropy=float(np.log(3)), row_sd=0.0, cosine=1.0, effective_rank=1.0))
json.dump({"generator": "scripts/pretrain-health-fixtures.py", "numpy": np.__version__, "cases": cases},
          open("test/fixtures/pretrain/health.json", "w"), indent=1)
