import * as assert from 'assert';
import { formatP } from '../../lib/stats';

describe('formatP', () => {
  it('follows the documented rule', () => {
    assert.strictEqual(formatP(3e-7), 'p ≤ 1e-5');
    assert.strictEqual(formatP(1e-5), 'p ≤ 1e-5');
    assert.strictEqual(formatP(1.2e-12), 'p ≤ 1e-5');
    assert.strictEqual(formatP(0), 'p ≤ 1e-5');
    assert.strictEqual(formatP(3.24e-4), 'p = 3.2e-4');
    assert.strictEqual(formatP(1.04e-5), 'p = 1.0e-5');
    assert.strictEqual(formatP(0.0321), 'p = 0.032');
    assert.strictEqual(formatP(0.001), 'p = 0.001');
    assert.strictEqual(formatP(0.41), 'p = 0.41');
    assert.strictEqual(formatP(1), 'p = 1');
    assert.strictEqual(formatP(2e-4, { floor: 1e-3, ascii: true }), 'p <= 1e-3');
    assert.strictEqual(formatP(0.012345, { digits: 3 }), 'p = 0.0123');
  });
  it('rejects non-probabilities', () => {
    assert.throws(() => formatP(NaN), /formatP: p is NaN/);
    assert.throws(() => formatP(1.5), /formatP: p is 1.5/);
  });
});
