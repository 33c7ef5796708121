import * as assert from 'assert';
import { jacobiEigen, topEigen } from '../../lib/stats/eigen';
import { expectClose, loadFixture } from '../analysis/helpers';

const fx = loadFixture('pca.json').eigen;
const d: number = fx.dim;

/** |⟨u, v⟩| = 1 for unit vectors equal up to sign. */
function expectSameAxis(u: ArrayLike<number>, v: ArrayLike<number>, tol: number, what: string): void {
  let dot = 0;
  for (let i = 0; i < u.length; i++) dot += u[i] * v[i];
  assert.ok(Math.abs(Math.abs(dot) - 1) < tol, `${what}: |cos| = ${Math.abs(dot)}`);
}

describe('jacobiEigen / topEigen (vs numpy.linalg.eigh)', () => {
  it('jacobiEigen: every eigenpair of a 40×40 covariance with close eigenvalues', () => {
    const r = jacobiEigen(fx.matrix, d);
    r.values.forEach((v, j) => expectClose(v, fx.values[j], 1e-12, `value ${j}`));
    for (let j = 0; j < 5; j++) expectSameAxis(r.vectors[j], fx.vectors.slice(j * d, (j + 1) * d), 1e-10, `vector ${j}`);
  });

  it('topEigen: the 3 leading pairs by subspace iteration (eigenvalues 10, 9.5, 9 then 3)', () => {
    const r = topEigen(Float64Array.from(fx.matrix), d, 3, { seed: 1 });
    r.values.forEach((v, j) => expectClose(v, fx.values[j], 1e-10, `value ${j}`));
    r.vectors.forEach((v, j) => expectSameAxis(v, fx.vectors.slice(j * d, (j + 1) * d), 1e-9, `vector ${j}`));
    const again = topEigen(fx.matrix, d, 3, { seed: 1 });
    assert.deepStrictEqual(again.values, r.values, 'deterministic for a seed');
  });

  it('hand example and bad input', () => {
    const r = jacobiEigen([2, 1, 1, 2], 2);
    expectClose(r.values[0], 3, 1e-15, 'λ1');
    expectClose(r.values[1], 1, 1e-15, 'λ2');
    expectSameAxis(r.vectors[0], [Math.SQRT1_2, Math.SQRT1_2], 1e-15, 'v1');
    assert.throws(() => jacobiEigen([1, 2, 3], 2), /matrix has 3 entries, expected 2×2 = 4/);
    assert.throws(() => topEigen([1, NaN, NaN, 1], 2, 1), /matrix\[0, 1\] is NaN/);
    assert.throws(() => topEigen([1, 0, 0, 1], 2, 3), /k must be an integer in \[1, 2\]/);
    assert.throws(() => topEigen(fx.matrix, d, 3, { maxIter: 1, oversample: 1 }), /no convergence after 1 iterations/);
  });
});
