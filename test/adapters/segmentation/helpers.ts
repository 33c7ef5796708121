/** Shared test helpers for the segmentation/regression adapters: backend set-up, closeness, leak checks. */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../lib/engine/backend';

/** wasm unless RAYDINO_BACKEND says otherwise: the adapters must run on the backend training uses. */
export async function useBackend(): Promise<void> {
  const info = await initBackend({ prefer: 'wasm' });
  // an earlier test file may have switched this process to 'cpu' (test/pretrain/helpers useCpu): come back
  if (tf.getBackend() !== info.name) {
    await tf.setBackend(info.name);
    await tf.ready();
  }
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = 'value'): void {
  assert.strictEqual(actual.length, expected.length, `${what}: length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= tol * Math.max(1, Math.abs(expected[i])))) {
      assert.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]} (|Δ| ${d} > ${tol})`);
    }
  }
}

/** Runs fn and asserts the number of live tensors is unchanged afterwards (fn must dispose what it returns). */
export async function expectNoLeak(fn: () => unknown | Promise<unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  await fn();
  assert.strictEqual(tf.memory().numTensors, before, `leaked ${tf.memory().numTensors - before} tensors`);
}
