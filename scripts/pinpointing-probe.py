"""Diagnosis for issue #6 pinpointing: what an attentive probe CAN localize on the cached frozen features.

For one encoder's cached synthetic-cxr features (quick profile, .cache/features) it fits, in PyTorch:
  - a linear probe on mean-pooled patch tokens (AUROC only);
  - the attentive probe of lib/adapters/grid/attentive-family.ts (one zero-initialised query per class, softmax over patches
    with scores q.x/sqrt(D), per-class linear values) with Adam, full-batch, for many steps,
and scores the attentive maps with the paper's pinpointing rule (max-attention patch overlaps the box by >= half the
patch's area, or half the box's when the box is smaller; macro over classes), next to the chance level.

    /usr/bin/python3 scripts/pinpointing-probe.py <encoder-hash-prefix> [steps] [lr]

The encoder hash is meta.json parts.encoder of the feature cache (scripts/pinpointing-check.ts extracts the features).
"""
import glob
import json
import sys

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

DS_KEY = '{"id":"synthetic-cxr","generator":{},"size":64}'


def features(enc):
    out = {}
    for d in glob.glob('.cache/features/*/meta.json'):
        m = json.load(open(d))
        p = m['parts']
        if p['datasetKey'] == DS_KEY and p['encoder'].startswith(enc):
            root = d[:-len('meta.json')]
            out[p['split']] = (m['ids'], np.load(root + 'patches.npy').astype(np.float32), m['gridH'])
    return out


def synthetic(ids):
    for d in glob.glob('.cache/synthetic/*/meta.json'):
        m = json.load(open(d))
        o = m['options']
        if o['variant'] == 'cxr' and o['n'] == 2100 and o['size'] == 64 and o['spuriousCue'] == 'off' and not o['prevalence']:
            rows = {r['id']: r for r in m['rows']}
            if all(i in rows for i in ids):
                return rows, m['boxes']
    raise SystemExit('no synthetic cache')


NAMES = ["Effusion", "Support Devices", "Atelectasis", "Cardiomegaly", "Consolidation", "Nodule", "Pneumothorax",
         "Edema", "Emphysema", "Mass", "Pleural Thickening", "Fracture", "Calcification", "Hernia"]


def overlap(p, g, size, b):
    pw = size / g
    gy, gx = divmod(p, g)
    ix = max(0, min((gx + 1) * pw, b['x'] + b['w']) - max(gx * pw, b['x']))
    iy = max(0, min((gy + 1) * pw, b['y'] + b['h']) - max(gy * pw, b['y']))
    return ix * iy / min(pw * pw, max(b['w'] * b['h'], 1e-12))


def pinpointing(att, ids, boxes, g):
    """att [N, C, T] numpy; returns macro accuracy, macro chance, per-class dict."""
    index = {i: k for k, i in enumerate(ids)}
    find = {}
    for b in boxes:
        if b['id'] in index and b['label'] in NAMES:
            find.setdefault((b['id'], b['label']), []).append(b)
    per = {}
    for (i, lab), bs in find.items():
        m = att[index[i], NAMES.index(lab)]
        hitp = [any(overlap(p, g, 64, b) >= 0.5 for b in bs) for p in range(g * g)]
        h = per.setdefault(lab, [0, 0.0, 0])
        h[0] += hitp[int(np.argmax(m))]
        h[1] += sum(hitp) / len(hitp)
        h[2] += 1
    acc = {k: (v[0] / v[2], v[1] / v[2], v[2]) for k, v in per.items()}
    return np.mean([a[0] for a in acc.values()]), np.mean([a[1] for a in acc.values()]), acc


def auroc(y, s):
    out = []
    for c in range(y.shape[1]):
        if 0 < y[:, c].sum() < len(y):
            out.append(roc_auc_score(y[:, c], s[:, c]))
    return float(np.mean(out))


def main():
    enc = sys.argv[1]
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    lr = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-2
    torch.manual_seed(0)
    f = features(enc)
    rows, boxes = synthetic(f['train'][0] + f['test'][0])
    lab = lambda ids: np.array([[rows[i][n] for n in NAMES] for i in ids], np.float32)
    (tri, xtr, g), (vai, xva, _), (tei, xte, _) = f['train'], f['val'], f['test']
    ytr, yva, yte = lab(tri), lab(vai), lab(tei)
    d = xtr.shape[2]
    # token standardisation (train statistics)
    mu, sd = xtr.reshape(-1, d).mean(0), xtr.reshape(-1, d).std(0) + 1e-6
    print(f'encoder {enc}: train {xtr.shape}, token norm {np.linalg.norm(xtr, axis=2).mean():.2f}, per-dim sd range {sd.min():.3f}..{sd.max():.3f}')
    mpos = xtr.mean(0, keepdims=True)  # [1, T, D] mean token at each position
    variants = {
        'raw': lambda x: x,
        'position-centred': lambda x: x - mpos,
        'position-centred+std': lambda x: (x - mpos) / sd,
        # centred tokens plus a one-hot position code: values may still depend on position (a learned offset per patch)
        'position-centred+onehot': lambda x: np.concatenate([x - mpos, np.broadcast_to(np.eye(x.shape[1], dtype=np.float32), (x.shape[0], x.shape[1], x.shape[1]))], 2),
    }
    only = sys.argv[4].split(',') if len(sys.argv) > 4 else list(variants)
    for name in only:
        keysOnly = name.endswith(':keys')
        tf = variants[name.split(':')[0]]
        X = [torch.tensor(tf(x)) for x in (xtr, xva, xte)]
        XV = [torch.tensor(x) for x in (xtr, xva, xte)] if keysOnly else X
        Y = torch.tensor(ytr)
        dk, dv = X[0].shape[2], XV[0].shape[2]
        q = torch.zeros(dk, 14, requires_grad=True)
        w = torch.nn.Parameter(torch.randn(dv, 14) / dv ** 0.5)
        b = torch.zeros(14, requires_grad=True)
        opt = torch.optim.Adam([q, w, b], lr=lr)
        fwd = lambda k: (torch.softmax(torch.einsum('ntd,dc->nct', X[k], q) / dk ** 0.5, -1), torch.einsum('ntd,dc->nct', XV[k], w))
        for s in range(steps):
            a, v = fwd(0)
            logit = (a * v).sum(-1) + b
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, Y)
            opt.zero_grad(); loss.backward(); opt.step()
            if (s + 1) % (steps // 4) == 0:
                with torch.no_grad():
                    a, v = fwd(1); sv = ((a * v).sum(-1) + b).numpy()
                    a, v = fwd(2); ent = float((-(a * torch.log(a + 1e-12)).sum(-1) / np.log(a.shape[-1])).mean())
                    macro, chance, _ = pinpointing(a.numpy(), tei, boxes, g)
                print(f'  [{name}] step {s + 1}: loss {loss.item():.4f} val AUROC {auroc(yva, sv):.3f}  pinpointing {macro:.3f} (chance {chance:.3f})  entropy/logT {ent:.3f}')
        with torch.no_grad():
            a, _ = fwd(2)
        _, _, per = pinpointing(a.numpy(), tei, boxes, g)
        print('   ', ', '.join(f'{k} {v[0]:.2f}/{v[1]:.2f}' for k, v in per.items()))


if __name__ == '__main__':
    main()
