import * as assert from 'assert';
import { r2, smape } from '../../lib/stats';
import { expectClose, loadFixture, METRIC, vec } from './helpers';

const fx = loadFixture('regression.json');

describe('r2 (vs sklearn r2_score) / smape (numpy formula)', () => {
  it('random vectors', () => {
    for (const c of fx.pearson.filter((k: { r2?: number }) => k.r2 !== undefined)) {
      const x = vec(c.x);
      const y = vec(c.y);
      expectClose(r2(x, y), c.r2, METRIC, `r2 n=${x.length}`);
      expectClose(smape(x, y), c.smape, METRIC, `smape n=${x.length}`);
    }
  });
  it('special cases: constant truth (force_finite), perfect, zeros in sMAPE', () => {
    for (const c of fx.r2) expectClose(r2(c.yTrue, c.yPred), c.r2, METRIC, `r2 ${c.yTrue} vs ${c.yPred}`);
    for (const c of fx.smape) expectClose(smape(c.yTrue, c.yPred), c.smape, METRIC, `smape ${c.yTrue} vs ${c.yPred}`);
  });
  it('bad input names the problem', () => {
    assert.throws(() => r2([1, 2], [1]), /r2: length mismatch/);
    assert.throws(() => r2([1], [1]), /r2: needs at least 2 samples/);
    assert.throws(() => smape([], []), /smape: yTrue is empty/);
    assert.throws(() => smape([1, 2], [1, NaN]), /smape: yPred\[1\] is NaN/);
  });
});
