import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../../../lib/engine/rng';
import { pyramidGeometry } from '../../../lib/adapters/segmentation/feature-pyramid';
import { SegHead } from '../../../lib/adapters/segmentation/seg-head';
import * as fs from 'fs';
import * as path from 'path';
import { expectClose, expectNoLeak, useBackend } from './helpers';

const REF = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/segmentation/torch-ref.json'), 'utf8'));

function randomTokens(levels: number, rows: number, dim: number, seed: number): tf.Tensor2D[] {
  const rng = createRng(seed);
  return Array.from({ length: levels }, () =>
    tf.tensor2d(Float32Array.from({ length: rows * dim }, () => rng.normal()), [rows, dim]));
}

describe('pyramidGeometry', () => {
  it('gives ×4, ×2, ×1, ×0.5 level sizes of the grid', () => {
    assert.deepStrictEqual(pyramidGeometry(14, 14, [4, 2, 1, 0.5]).sizes, [[56, 56], [28, 28], [14, 14], [7, 7]]);
    assert.deepStrictEqual(pyramidGeometry(7, 5, [2, 1, 0.5]).sizes, [[14, 10], [7, 5], [4, 3]]);
  });
  it('rejects non-decreasing scales', () => {
    assert.throws(() => pyramidGeometry(4, 4, [1, 2]), /scales must decrease/);
  });
});

describe('SegHead', () => {
  before(useBackend);

  it('UperNet-lite forward shapes: logits at ×4 the grid, aux at the grid', () => {
    const head = new SegHead({ gridH: 6, gridW: 5, dim: 12, classes: 3, channels: 8 }, 0);
    const tokens = randomTokens(4, 2 * 30, 12, 1);
    const out = tf.tidy(() => {
      const f = head.forward(tokens);
      return { logits: f.logits, aux: f.auxLogits! };
    });
    assert.deepStrictEqual(head.outSize, [24, 20]);
    assert.deepStrictEqual(out.logits.shape, [2, 24 * 20, 3]);
    assert.deepStrictEqual(out.aux.shape, [2, 30, 3]);
    assert.ok(Array.from(out.logits.dataSync()).every(Number.isFinite));
    // 4 laterals (12→8) + fuse (32→8) + cls (8→3) + fcn (8→8, 8→3)
    assert.strictEqual(head.numParams, 4 * (12 * 8 + 8) + (32 * 8 + 8) + (8 * 3 + 3) + (8 * 8 + 8) + (8 * 3 + 3));
    tf.dispose([...tokens, out.logits, out.aux]);
    head.dispose();
  });

  it('forward and parameter gradients match a PyTorch UperNet-lite (scripts/torch-seg-ref.py)', () => {
    const c = REF.head;
    const { gridH, gridW, dim, channels, classes, batch } = c.config;
    const head = new SegHead({ gridH, gridW, dim, channels, classes }, 0);
    for (const [name, p] of head.params) {
      const ref = c.params[name];
      assert.ok(ref, `no reference for ${name}`);
      p.assign(tf.tensor(ref.data, ref.shape));
    }
    const t = gridH * gridW;
    const tokens = c.tokens.map((x: number[]) => tf.tensor2d(x, [batch * t, dim]));
    const [oh, ow] = head.outSize;
    const r = tf.tensor3d(c.R, [batch, oh * ow, classes]);
    const ra = tf.tensor3d(c.Ra, [batch, t, classes]);
    // tidy keeps tensors of plain objects, not of Maps
    const out = tf.tidy(() => {
      const f = head.forward(tokens);
      return { logits: f.logits, aux: f.auxLogits!, grads: Object.fromEntries(head.backward(f.cache, r, ra)) };
    });
    expectClose(out.logits.dataSync(), c.logits, 1e-5, 'logits');
    expectClose(out.aux.dataSync(), c.aux, 1e-5, 'aux');
    assert.deepStrictEqual(Object.keys(out.grads).sort(), [...head.params.keys()].sort());
    for (const [name, g] of Object.entries(out.grads)) expectClose(g.dataSync(), c.grads[name], 1e-4, name);
    tf.dispose([...tokens, r, ra, out.logits, out.aux, ...Object.values(out.grads)]);
    head.dispose();
  });

  it('forward + backward do not leak', async () => {
    const head = new SegHead({ gridH: 4, gridW: 4, dim: 6, classes: 2, channels: 4 }, 0);
    const tokens = randomTokens(4, 16, 6, 0);
    await expectNoLeak(() => {
      const grads = tf.tidy(() => {
        const f = head.forward(tokens);
        return Object.fromEntries(head.backward(f.cache, tf.onesLike(f.logits), tf.onesLike(f.auxLogits!)));
      });
      tf.dispose(Object.values(grads));
      tf.dispose(head.predict(tokens));
    });
    tf.dispose(tokens);
    head.dispose();
  });

  it('same seed → same initial weights; different seed → different', () => {
    const cfg = { gridH: 2, gridW: 2, dim: 3, classes: 1, channels: 2 };
    const [a, b, c] = [new SegHead(cfg, 5), new SegHead(cfg, 5), new SegHead(cfg, 6)];
    const w = (h: SegHead) => Array.from(h.params.get('pyramid.lateral0.w')!.dataSync());
    assert.deepStrictEqual(w(a), w(b));
    assert.notDeepStrictEqual(w(a), w(c));
    [a, b, c].forEach((h) => h.dispose());
  });
});
