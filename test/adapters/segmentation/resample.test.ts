import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { areaMatrix, bilinearMatrix } from '../../../lib/adapters/segmentation/resize-matrix';
import { resampleMap, Resampler } from '../../../lib/adapters/segmentation/resample';
import { expectClose, expectNoLeak, useBackend } from './helpers';

const REF = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/segmentation/torch-ref.json'), 'utf8'));

describe('Resampler', () => {
  before(useBackend);

  for (const [name, kind] of [['up', 'bilinear'], ['down', 'area']] as const) {
    it(`${kind} forward and backward match PyTorch (${name})`, () => {
      const c = REF.resample[name];
      const [b, h, w, ch] = c.shape;
      const [oh, ow] = c.out_hw;
      const r = new Resampler(h, w, oh, ow, kind);
      const x = tf.tensor4d(c.x, [b, h, w, ch]);
      const y = r.forward(x);
      expectClose(y.dataSync(), c.y, 1e-5, 'y');
      // d/dx Σ y·r = backward(r)
      const g = r.backward(tf.tensor4d(c.r, [b, oh, ow, ch]));
      expectClose(g.dataSync(), c.grad, 1e-5, 'grad');
      tf.dispose([x, y, g]);
      r.dispose();
    });
  }

  it('does not leak', async () => {
    const r = new Resampler(3, 4, 6, 8, 'bilinear');
    const x = tf.ones([2, 3, 4, 5]) as tf.Tensor4D;
    await expectNoLeak(() => { const y = r.forward(x); const g = r.backward(y); tf.dispose([y, g]); });
    tf.dispose(x);
    r.dispose();
  });

  it('resampleMap (JS) equals the tensor resampler', () => {
    const src = Float32Array.from({ length: 5 * 7 }, (_, i) => Math.sin(i));
    const r = new Resampler(5, 7, 11, 3, 'bilinear');
    const t = r.forward(tf.tensor4d(src, [1, 5, 7, 1]));
    expectClose(resampleMap(src, 5, 7, 11, 3, 'bilinear'), t.dataSync(), 1e-6, 'map');
    tf.dispose(t);
    r.dispose();
  });
});

describe('resize matrices', () => {
  it('rows sum to 1', () => {
    for (const [i, o] of [[5, 9], [8, 3], [14, 56], [7, 7]]) {
      for (const m of [bilinearMatrix(i, o), areaMatrix(i, o)]) {
        for (let r = 0; r < o; r++) {
          let s = 0;
          for (let c = 0; c < i; c++) s += m[r * i + c];
          assert.ok(Math.abs(s - 1) < 1e-6, `row ${r} sums to ${s}`);
        }
      }
    }
  });

  it('area 4→2 is a 2-pixel mean', () => {
    expectClose(areaMatrix(4, 2), [0.5, 0.5, 0, 0, 0, 0, 0.5, 0.5], 1e-7);
  });
});
