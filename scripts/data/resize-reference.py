"""Reference outputs of torch.nn.functional.interpolate (bilinear, align_corners=False, antialias on/off) and
nearest for lib/data/preprocess.ts. Run with Debian's python3 (has torch):
    /usr/bin/python3 scripts/data/resize-reference.py > test/fixtures/data/preprocess/resize-reference.json
"""
import json
import math
import torch
import torch.nn.functional as F

H, W = 37, 29
# deterministic, non-separable test pattern in [0, 1]
img = torch.tensor([[0.5 + 0.5 * math.sin(0.37 * y + 0.11 * x * x / W) * math.cos(0.23 * x - 0.05 * y) for x in range(W)] for y in range(H)], dtype=torch.float64)
cases = []
for (oh, ow) in [(16, 16), (9, 12), (50, 45), (37, 10)]:
    for aa in [False, True]:
        out = F.interpolate(img[None, None], size=(oh, ow), mode='bilinear', align_corners=False, antialias=aa)[0, 0]
        cases.append({'outH': oh, 'outW': ow, 'antialias': aa, 'data': [round(v, 10) for v in out.flatten().tolist()]})
mask = (img > 0.6).to(torch.uint8)
nearest = []
for (oh, ow) in [(16, 16), (50, 45)]:
    out = F.interpolate(mask[None, None].float(), size=(oh, ow), mode='nearest')[0, 0].to(torch.uint8)
    nearest.append({'outH': oh, 'outW': ow, 'data': out.flatten().tolist()})
print(json.dumps({'height': H, 'width': W, 'input': [round(v, 12) for v in img.flatten().tolist()],
                  'mask': mask.flatten().tolist(), 'bilinear': cases, 'nearest': nearest, 'torch': torch.__version__}))
