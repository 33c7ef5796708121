"""Reference loss and gradients for lib/text/report-model.ts (adapter + causal LM, captioning loss), in PyTorch float64.
Same layout as the TypeScript model: pre-norm blocks (LayerNorm eps 1e-5, fused qkv split [3, heads, dh], exact GELU,
additive causal mask), adapter = LayerNorm(eps 1e-6) -> linear + positions, M learned queries concatenated before the
patch tokens, final LayerNorm, the queries' outputs as the prefix; LM = token + position embeddings after the prefix,
tied output embedding; loss = mean NLL over the findings positions (targets after <sep>) of a padded batch.
Weights are random (std 0.3, not the init's 0.02) so every gradient is far from zero.
Run: /usr/bin/python3 scripts/torch-report-model-ref.py > test/fixtures/text/report-model-grads.json
"""
import json
import math

import torch

torch.manual_seed(13)
dt = torch.float64
V, d, H, mlp, maxText, M, T, D, LM_LAYERS, AD_LAYERS = 11, 8, 2, 2, 12, 2, 3, 5, 2, 2
PAD = 0

params = {}


def add(name, shape, kind='w'):
    if kind == 'g':
        t = 1 + 0.1 * torch.randn(*shape, dtype=dt)
    elif kind == 'b':
        t = 0.1 * torch.randn(*shape, dtype=dt)
    else:
        t = 0.3 * torch.randn(*shape, dtype=dt)
    params[name] = t.requires_grad_(True)


def add_block(n):
    add(f'{n}.ln1.g', [d], 'g'); add(f'{n}.ln1.b', [d], 'b')
    add(f'{n}.qkv.w', [d, 3 * d]); add(f'{n}.qkv.b', [3 * d], 'b')
    add(f'{n}.proj.w', [d, d]); add(f'{n}.proj.b', [d], 'b')
    add(f'{n}.ln2.g', [d], 'g'); add(f'{n}.ln2.b', [d], 'b')
    add(f'{n}.fc1.w', [d, d * mlp]); add(f'{n}.fc1.b', [d * mlp], 'b')
    add(f'{n}.fc2.w', [d * mlp, d]); add(f'{n}.fc2.b', [d], 'b')


add('lm.tok', [V, d]); add('lm.pos', [maxText, d])
for l in range(LM_LAYERS):
    add_block(f'lm.{l}')
add('lm.norm.g', [d], 'g'); add('lm.norm.b', [d], 'b')
add('ad.inNorm.g', [D], 'g'); add('ad.inNorm.b', [D], 'b')
add('ad.in.w', [D, d]); add('ad.in.b', [d], 'b')
add('ad.pos', [T, d]); add('ad.query', [M, d])
for l in range(AD_LAYERS):
    add_block(f'ad.{l}')
add('ad.norm.g', [d], 'g'); add('ad.norm.b', [d], 'b')
P = params


def ln(x, n, eps=1e-5):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), P[f'{n}.g'], P[f'{n}.b'], eps)


def block(n, x, causal):
    B, L, _ = x.shape
    dh = d // H
    h = ln(x, f'{n}.ln1')
    qkv = (h @ P[f'{n}.qkv.w'] + P[f'{n}.qkv.b']).reshape(B, L, 3, H, dh).permute(2, 0, 3, 1, 4)
    q, k, v = qkv[0] / math.sqrt(dh), qkv[1], qkv[2]
    s = q @ k.transpose(-1, -2)
    if causal:
        s = s + torch.triu(torch.full((L, L), -1e9, dtype=dt), 1)
    o = (torch.softmax(s, -1) @ v).permute(0, 2, 1, 3).reshape(B, L, d)
    x1 = x + o @ P[f'{n}.proj.w'] + P[f'{n}.proj.b']
    h2 = ln(x1, f'{n}.ln2')
    m = torch.nn.functional.gelu(h2 @ P[f'{n}.fc1.w'] + P[f'{n}.fc1.b']) @ P[f'{n}.fc2.w'] + P[f'{n}.fc2.b']
    return x1 + m


def prefix(patches):
    B = patches.shape[0]
    x = ln(patches, 'ad.inNorm', 1e-6) @ P['ad.in.w'] + P['ad.in.b'] + P['ad.pos']
    h = torch.cat([P['ad.query'].expand(B, M, d), x], 1)
    for l in range(AD_LAYERS):
        h = block(f'ad.{l}', h, False)
    return ln(h, 'ad.norm')[:, :M]


def loss_of(batch, patches):
    B = len(batch)
    L = max(len(e['ids']) for e in batch) - 1
    inp = torch.zeros(B, L, dtype=torch.long)
    tgt = torch.zeros(B, L, dtype=torch.long)
    w = torch.zeros(B, L, dtype=dt)
    for b, e in enumerate(batch):
        ids = e['ids']
        for t in range(L):
            inp[b, t] = ids[t] if t < len(ids) - 1 else PAD
            tgt[b, t] = ids[t + 1] if t + 1 < len(ids) else PAD
            w[b, t] = 1.0 if (t + 1 < len(ids) and t + 1 >= e['lossFrom']) else 0.0
    x = P['lm.tok'][inp] + P['lm.pos'][:L]
    pre = prefix(patches) if patches is not None else None
    Mx = 0
    if pre is not None:
        x = torch.cat([pre, x], 1)
        Mx = M
    for l in range(LM_LAYERS):
        x = block(f'lm.{l}', x, True)
    h = ln(x, 'lm.norm')[:, Mx:]
    logp = torch.log_softmax(h @ P['lm.tok'].T, -1)
    nll = -logp.gather(-1, tgt.unsqueeze(-1)).squeeze(-1)
    return (nll * w).sum() / w.sum().clamp(min=1)


# ids: <bos>=1 indication <sep>=4 findings <eos>=2; lossFrom = indication length + 2 (captioning); different lengths → padding
batch = [
    {'ids': [1, 5, 6, 4, 7, 8, 9, 2], 'lossFrom': 4},
    {'ids': [1, 4, 10, 7, 2], 'lossFrom': 2},
    {'ids': [1, 6, 6, 5, 4, 9, 8, 10, 7, 2], 'lossFrom': 5},
]
patches = torch.randn(len(batch), T, D, dtype=dt)
loss = loss_of(batch, patches)
loss.backward()
cases = [{'captioning': True, 'batch': batch, 'patches': patches.flatten().tolist(), 'loss': loss.item(),
          'grads': {k: v.grad.flatten().tolist() for k, v in P.items()}}]
for v in P.values():
    v.grad = None
text_batch = [{'ids': e['ids'], 'lossFrom': 1} for e in batch]
loss2 = loss_of(text_batch, None)
loss2.backward()
cases.append({'captioning': False, 'batch': text_batch, 'patches': None, 'loss': loss2.item(),
              'grads': {k: v.grad.flatten().tolist() for k, v in P.items() if k.startswith('lm.')}})
cfg = {'vocab': V, 'dModel': d, 'heads': H, 'mlpRatio': mlp, 'maxText': maxText, 'prefixTokens': M, 'tokens': T, 'dim': D,
       'lmLayers': LM_LAYERS, 'adapterLayers': AD_LAYERS}
print(json.dumps({'torch': torch.__version__, 'config': cfg,
                  'params': {k: {'shape': list(v.shape), 'values': v.detach().flatten().tolist()} for k, v in P.items()},
                  'cases': cases}))
