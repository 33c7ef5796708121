"""Binary / JSON fixtures for test/data parsers that are easiest to write from Python (Debian python3: numpy, scipy).
    /usr/bin/python3 scripts/data/make-fixtures.py
Writes:
  test/fixtures/data/aasce/...           .mat landmark files via scipy.io.savemat (compressed and not), CSVs
  test/fixtures/data/paxray/*.json       COCO annotations with compressed RLE (pycocotools' rleToString, ported)
  test/fixtures/data/vindr-rib/...       pandas-style to_json (orient='columns') rib polygons
  test/fixtures/data/reference.json      expected masks computed here with the reference algorithms
"""
import json
import os
import numpy as np
import scipy.io

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'data')
ref = {}

# --- SIIM: Kaggle's rle2mask (stage 1, relative), reshape (width, height) then transpose ---
def rle2mask(rle, width, height):
    mask = np.zeros(width * height, dtype=np.uint8)
    if rle.strip() != '-1':
        array = np.asarray([int(x) for x in rle.split()])
        starts, lengths = array[0::2], array[1::2]
        pos = 0
        for s, l in zip(starts, lengths):
            pos += s
            mask[pos:pos + l] = 1
            pos += l
    return mask.reshape(width, height).T

m = rle2mask('2 3 3 1', 4, 5) | rle2mask('14 2', 4, 5)
ref['siim'] = {'width': 4, 'height': 5, 'mask': m.flatten().tolist()}

# --- COCO RLE (pycocotools maskApi.c rleEncode + rleToString) ---
def coco_encode(mask):
    flat = mask.flatten(order='F')
    counts, prev, run = [], 0, 0
    for v in flat:
        if v != prev:
            counts.append(run); run = 0; prev = v
        run += 1
    counts.append(run)
    return counts

def rle_to_string(cnts):
    s = []
    for i, c in enumerate(cnts):
        x = int(c)
        if i > 2: x -= int(cnts[i - 2])
        more = True
        while more:
            ch = x & 0x1f
            x >>= 5
            more = (x != -1) if (ch & 0x10) else (x != 0)
            if more: ch |= 0x20
            s.append(chr(ch + 48))
    return ''.join(s)

H, W = 6, 7
yy, xx = np.mgrid[0:H, 0:W]
lung = ((xx - 3) ** 2 / 9 + (yy - 3) ** 2 / 4 < 1).astype(np.uint8)
heart = np.zeros((H, W), np.uint8); heart[3:5, 2:6] = 1
big = np.zeros((40, 50), np.uint8); big[5:33, 7:44] = 1; big[10:12, 10:30] = 0  # long runs -> multi-char counts
os.makedirs(os.path.join(ROOT, 'paxray'), exist_ok=True)
coco_tv = {
    'images': [{'id': 1, 'file_name': 'images_patlas/s0001_frontal.png', 'width': W, 'height': H},
               {'id': 2, 'file_name': 'images_patlas/s0001_lateral.png', 'width': W, 'height': H},
               {'id': 3, 'file_name': 'images_patlas/s0002_frontal.png', 'width': 50, 'height': 40}],
    'categories': [{'id': 2, 'name': 'heart'}, {'id': 1, 'name': 'lungs'}],
    'annotations': [
        {'image_id': 1, 'category_id': 1, 'segmentation': {'size': [H, W], 'counts': rle_to_string(coco_encode(lung))}},
        {'image_id': 1, 'category_id': 2, 'segmentation': {'size': [H, W], 'counts': coco_encode(heart)}},
        {'image_id': 2, 'category_id': 2, 'segmentation': [[1, 1, 5, 1, 5, 4, 1, 4]]},
        {'image_id': 3, 'category_id': 1, 'segmentation': {'size': [40, 50], 'counts': rle_to_string(coco_encode(big))}},
    ],
}
coco_test = {'images': [{'id': 7, 'file_name': 'images_patlas/s0003_frontal.png', 'width': W, 'height': H}],
             'categories': coco_tv['categories'], 'annotations': []}
json.dump(coco_tv, open(os.path.join(ROOT, 'paxray', 'paxray_train_val.json'), 'w'))
json.dump(coco_test, open(os.path.join(ROOT, 'paxray', 'paxray_test.json'), 'w'))
ref['paxray'] = {'lung': lung.flatten().tolist(), 'heart': heart.flatten().tolist(), 'big': big.flatten().tolist(),
                 'bigCounts': rle_to_string(coco_encode(big))}

# --- AASCE: 68x2 p2 landmark arrays in .mat v5, angles/filenames CSV without headers ---
lab = os.path.join(ROOT, 'aasce', 'boostnet_labeldata', 'labels')
for split in ['training', 'test']:
    os.makedirs(os.path.join(lab, split), exist_ok=True)
rng = np.random.default_rng(0)
def landmarks(offset):
    pts = []
    for v in range(17):
        y0 = 20 + 10 * v
        pts += [[30 + offset + v, y0], [50 + offset + v, y0 + 1], [30 + offset + v, y0 + 8], [50 + offset + v, y0 + 9]]
    return np.array(pts, dtype=np.float64) + rng.uniform(-0.5, 0.5, (68, 2))
p_a, p_b, p_c = landmarks(0), landmarks(3), landmarks(5)
scipy.io.savemat(os.path.join(lab, 'training', 'sunhl-1th-02-Jan-2017-162 A AP.jpg.mat'), {'p2': p_a}, do_compression=True)
scipy.io.savemat(os.path.join(lab, 'training', 'sunhl-1th-02-Jan-2017-163 B AP.jpg.mat'), {'p2': p_b, 'other': np.arange(6, dtype=np.int16).reshape(2, 3)}, do_compression=False)
# third training image has no .mat: landmarks.csv row (68 x then 68 y)
with open(os.path.join(lab, 'training', 'filenames.csv'), 'w') as f:
    f.write('sunhl-1th-02-Jan-2017-162 A AP.jpg\nsunhl-1th-02-Jan-2017-163 B AP.jpg\nsunhl-1th-03-Jan-2017-164 C AP.jpg\n')
with open(os.path.join(lab, 'training', 'angles.csv'), 'w') as f:
    f.write('12.5,20.25,8.0\n0.0,35.1,17.3\n5.5,6.5,7.5\n')
with open(os.path.join(lab, 'training', 'landmarks.csv'), 'w') as f:
    for p in [p_a, p_b, p_c]:
        f.write(','.join(repr(float(v)) for v in list(p[:, 0]) + list(p[:, 1])) + '\n')
scipy.io.savemat(os.path.join(lab, 'test', 'sunhl-1th-01-Mar-2017-310 a AP.jpg.mat'), {'p2': landmarks(1)}, do_compression=True)
with open(os.path.join(lab, 'test', 'filenames.csv'), 'w') as f:
    f.write('filenames\nsunhl-1th-01-Mar-2017-310 a AP.jpg\n')
with open(os.path.join(lab, 'test', 'angles.csv'), 'w') as f:
    f.write('an1,an2,an3\n1,2,3\n')
ref['aasce'] = {'p2_a': p_a.tolist(), 'p2_b': p_b.tolist(), 'p2_c': p_c.tolist()}

# --- VinDr-RibCXR: pandas to_json(orient='columns') layout, {"x","y"} point lists or "None" ---
for split in ['train', 'val']:
    os.makedirs(os.path.join(ROOT, 'vindr-rib', 'data', split, 'img'), exist_ok=True)
ribs = [f'R{i}' for i in range(1, 11)] + [f'L{i}' for i in range(1, 11)]
train = {'img': {'0': 'data/train/img/VinDr_RibCXR_train_000.png', '1': 'data/train/img/VinDr_RibCXR_train_001.png'}}
for r in ribs:
    train[r] = {'0': 'None', '1': 'None'}
train['R1']['0'] = [{'x': 1.0, 'y': 1.0}, {'x': 6.0, 'y': 1.0}, {'x': 6.0, 'y': 4.0}, {'x': 1.0, 'y': 4.0}]
train['L1']['0'] = [{'x': 2.0, 'y': 5.0}, {'x': 8.2, 'y': 7.0}, {'x': 2.0, 'y': 7.0}]
val = {'img': {'0': 'data/val/img/VinDr_RibCXR_val_000.png'}}
for r in ribs:
    val[r] = {'0': [{'x': 0.0, 'y': 0.0}, {'x': 2.0, 'y': 0.0}, {'x': 2.0, 'y': 2.0}]}
json.dump(train, open(os.path.join(ROOT, 'vindr-rib', 'data', 'train', 'Vindr_RibCXR_train_mask.json'), 'w'))
json.dump(val, open(os.path.join(ROOT, 'vindr-rib', 'data', 'val', 'Vindr_RibCXR_val_mask.json'), 'w'))
# expected masks on a 10 x 8 image: pixel centre inside the polygon (vertices chosen so no centre lies on an edge,
# where conventions differ)
from matplotlib.path import Path  # noqa: E402
yy, xx = np.mgrid[0:8, 0:10]
centres = np.stack([xx.ravel() + 0.5, yy.ravel() + 0.5], 1)
def raster(poly):
    return Path([(p['x'], p['y']) for p in poly]).contains_points(centres).astype(np.uint8).tolist()
ref['vindrRib'] = {'R1': raster(train['R1']['0']), 'L1': raster(train['L1']['0'])}

json.dump(ref, open(os.path.join(ROOT, 'reference.json'), 'w'))
print('ok')
