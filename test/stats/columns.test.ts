import * as assert from 'assert';
import { standardiseColumns } from '../../lib/stats';

describe('standardiseColumns (sklearn StandardScaler semantics: population sd, constant column → scale 1)', () => {
  it('scales train and other rows with the training statistics', () => {
    // train rows (d = 2): column 0 = 1, 2, 3 (mean 2, population sd √(2/3)); column 1 constant 5
    const train = Float32Array.from([1, 5, 2, 5, 3, 5]);
    const other = Float32Array.from([4, 7]);
    const [zt, zo] = standardiseColumns(train, [train, other], 2);
    const s = Math.sqrt(2 / 3);
    const want = [-1 / s, 0, 0, 0, 1 / s, 0];
    want.forEach((w, i) => assert.ok(Math.abs(zt[i] - w) < 1e-12, `train[${i}] = ${zt[i]}, want ${w}`));
    assert.ok(Math.abs(zo[0] - 2 / s) < 1e-12, `other[0] = ${zo[0]}`);
    assert.strictEqual(zo[1], 2); // (7 − 5) / 1: a constant training column keeps scale 1
  });
});
