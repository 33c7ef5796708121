import * as assert from 'assert';
import { benchSegmentation } from '../../../lib/bench/segmentation';
import { useBackend } from './helpers';

describe('benchSegmentation', () => {
  before(useBackend);
  it('reports train/predict throughput at the quick size without leaking', async () => {
    const r = await benchSegmentation({ quick: true });
    assert.strictEqual(r['seg.grid'], '7x7');
    assert.strictEqual(r['seg.out'], '28x28');
    for (const k of ['seg.params', 'seg.train_steps_per_s', 'seg.train_img_per_s', 'seg.predict_img_per_s', 'reg.train_steps_per_s']) {
      assert.ok(typeof r[k] === 'number' && (r[k] as number) > 0, `${k} = ${r[k]}`);
    }
  });
});
