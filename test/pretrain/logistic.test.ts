import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { logisticPath } from '../../lib/pretrain/logistic';

interface Case { nTrain: number; nEval: number; d: number; Cs: number[]; trainX: number[]; evalX: number[]; trainY: (number | null)[][]; scores: number[][][] }
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'pretrain', 'logistic.json'), 'utf8')) as Record<string, Case>;

function run(c: Case, Cs = c.Cs, solver: 'auto' | 'newton' | 'lbfgs' = 'auto') {
  const Y = c.trainY.map((ys) => ys.map((v) => (v === null ? NaN : v)));
  // the solvers against the exact optimum: L-BFGS held to Newton's tolerance (its 1e-4 default is scikit-learn's)
  return logisticPath(Float32Array.from(c.trainX), Y, Float32Array.from(c.evalX), c.d, Cs, { solver, tol: 1e-5 });
}

describe('logisticPath (scripts/probe-logistic-fixtures.py: scikit-learn LogisticRegression)', () => {
  before(async () => { await tf.setBackend('cpu'); });

  for (const [name, solver] of [['tall', 'newton'], ['tall', 'lbfgs'], ['wide', 'newton'], ['wide', 'lbfgs']] as const) {
    it(`equals scikit-learn's decision function along the C path (${name}, ${solver}: unknown labels left out of the fit)`, () => {
      const c = fixture[name];
      const fits = run(c, c.Cs, solver);
      fits.forEach((fit, p) => {
        assert.ok(fit.converged, `C = ${fit.C}: ‖∇‖∞ ${fit.gradInf} after ${fit.iterations} iterations`);
        fit.scores.forEach((row, k) => row.forEach((s, i) => {
          const ref = c.scores[p][k][i];
          assert.ok(Math.abs(s - ref) <= 1e-3 * Math.max(1, Math.abs(ref)), `C ${fit.C} class ${k} row ${i}: ${s} vs ${ref}`);
        }));
      });
    });
  }

  it("stops L-BFGS at scikit-learn's default tolerance (‖∇‖∞ ≤ 1e-4) unless told otherwise, within 1e-2 of the optimum here", () => {
    const c = fixture.wide;
    const Y = c.trainY.map((ys) => ys.map((v) => (v === null ? NaN : v)));
    const fits = logisticPath(Float32Array.from(c.trainX), Y, Float32Array.from(c.evalX), c.d, c.Cs, { solver: 'lbfgs' });
    fits.forEach((fit, p) => {
      assert.ok(fit.converged && fit.gradInf <= 1e-4 && fit.gradInf > 1e-6, `C ${fit.C}: ‖∇‖∞ ${fit.gradInf}`);
      fit.scores.forEach((row, k) => row.forEach((v, i) => assert.ok(Math.abs(v - c.scores[p][k][i]) < 1e-2 * Math.max(1, Math.abs(c.scores[p][k][i])))));
    });
  });

  it('a warm-started C gives the same optimum as a cold fit at that C', () => {
    const c = fixture.tall;
    const warm = run(c)[2].scores, cold = run(c, [c.Cs[2]])[0].scores;
    warm.forEach((row, k) => row.forEach((s, i) => assert.ok(Math.abs(s - cold[k][i]) < 1e-3, `${s} vs ${cold[k][i]}`)));
  });

  it('scores 0 for a class with one label value among its known rows; rejects a bad C, label, feature or label count', () => {
    const X = Float32Array.from([0, 1, 2, 3, 4, 5]);
    const fit = logisticPath(X, [[1, 1, NaN, 1, 1, 1], [0, 1, 0, 1, 0, 1]], X, 1, [1])[0];
    assert.deepStrictEqual(fit.scores[0], [0, 0, 0, 0, 0, 0]);
    assert.ok(fit.scores[1][5] > fit.scores[1][0]);
    assert.throws(() => logisticPath(X, [[0, 1, 0, 1, 0, 1]], X, 1, [0]), /C must be a positive number/);
    assert.throws(() => logisticPath(X, [[0, 1, 0, 0.5, 0, 1]], X, 1, [1]), /class 0, row 3: label 0.5/);
    assert.throws(() => logisticPath(Float32Array.from([0, 1, NaN, 3, 4, 5]), [[0, 1, 0, 1, 0, 1]], X, 1, [1]), /train feature NaN at row 2, column 0/);
    assert.throws(() => logisticPath(X, [[0, 1, 0, 1, 0]], X, 1, [1]), /class 0 has 5 labels for 6 train rows/);
  });

  it('leaves no tensors behind (either solver)', () => {
    const before = tf.memory().numTensors;
    run(fixture.wide, fixture.wide.Cs, 'newton');
    run(fixture.wide, fixture.wide.Cs, 'lbfgs');
    assert.strictEqual(tf.memory().numTensors, before);
  });
});
