import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

/** Tests run on the deterministic pure-JS cpu backend. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5, what = 'value'): void {
  assert.strictEqual(actual.length, expected.length, `${what}: length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= tol * Math.max(1, Math.abs(expected[i])))) {
      assert.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]} (|diff| ${d} > ${tol})`);
    }
  }
}

/** Asserts fn leaves no tensor behind (its result is disposed by the check). */
export function expectNoLeak(fn: () => tf.Tensor | tf.Tensor[] | void): void {
  const before = tf.memory().numTensors;
  const out = fn();
  if (out) tf.dispose(out as tf.Tensor | tf.Tensor[]);
  assert.strictEqual(tf.memory().numTensors, before, 'tensor leak');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const torchFixture: any = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'pretrain', 'torch-losses.json'), 'utf8'));
