/** Shared test helpers for lib/models: backend setup (wasm, cpu fallback) and the relative-error measure. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as path from 'path';
import { readSafetensors } from '../../lib/io/safetensors';
import { asFloat32 } from '../../lib/io/npy';
import type { NdArray } from '../../lib/io/dtype';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'models');

let ready: Promise<string> | undefined;

/** tfjs-wasm when it loads, else the cpu backend. */
export function useBackend(): Promise<string> {
  if (!ready) {
    ready = (async () => {
      try {
        require('@tensorflow/tfjs-backend-wasm');
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        if (await tf.setBackend('wasm')) { await tf.ready(); return 'wasm'; }
      } catch { /* fall through to cpu */ }
      await tf.setBackend('cpu');
      await tf.ready();
      return 'cpu';
    })();
  }
  return ready;
}

/** max |a − b| / max |b| (the brief's "relative" error). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

let refs: Map<string, NdArray> | undefined;
/** PyTorch outputs written by scripts/torch-vit-reference.py. */
export function reference(key: string): { data: Float32Array; shape: number[] } {
  refs ??= readSafetensors(path.join(FIXTURES, 'reference.safetensors')).tensors;
  const a = refs.get(key);
  if (!a) throw new Error(`reference.safetensors has no ${key}`);
  return { data: asFloat32(a), shape: a.shape };
}

/** Asserts a relative error is below `tol`, printing it on failure. */
export function assertBelow(err: number, tol: number, what = 'relative error'): void {
  if (!(err < tol)) throw new Error(`${what} ${err.toExponential(3)} is not below ${tol}`);
}
