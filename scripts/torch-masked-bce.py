"""Reference values for lib/engine/masked-bce.ts: torch BCEWithLogitsLoss(reduction='none') averaged over the known
(non-NaN) labels, and its gradient w.r.t. the logits.
Run: /usr/bin/python3 scripts/torch-masked-bce.py > test/fixtures/baselines/masked-bce.json
"""
import json
import math

import torch

torch.manual_seed(7)
cases = []
B, C = 6, 5
logits = (torch.randn(B, C) * 3).double()
logits[0, 0] = 40.0    # saturated positive
logits[1, 1] = -40.0   # saturated negative
labels = (torch.rand(B, C) < 0.4).double()
labels[torch.rand(B, C) < 0.3] = float('nan')
labels[2, :] = float('nan')  # a row with no known label
cases.append((logits, labels))
# every label unknown: the loss is defined as 0
cases.append((torch.randn(2, 3).double(), torch.full((2, 3), float('nan'), dtype=torch.float64)))

out = []
for x, y in cases:
    x = x.clone().requires_grad_(True)
    mask = ~torch.isnan(y)
    per = torch.nn.BCEWithLogitsLoss(reduction='none')(x, torch.nan_to_num(y, nan=0.0))
    loss = (per * mask).sum() / mask.sum().clamp(min=1)
    loss.backward()
    out.append({
        'shape': list(x.shape),
        'logits': x.detach().flatten().tolist(),
        'labels': [None if math.isnan(v) else v for v in y.flatten().tolist()],
        'loss': loss.item(),
        'grad': x.grad.flatten().tolist(),
    })
print(json.dumps({'source': 'torch ' + torch.__version__ + ' BCEWithLogitsLoss, NaN labels masked, mean over known', 'cases': out}, indent=1))
