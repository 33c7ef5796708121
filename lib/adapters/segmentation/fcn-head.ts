/**
 * FCN auxiliary head (Long et al. 2015; mmseg `FCNHead` as UperNet's auxiliary head, loss weight 0.4): on one pyramid
 * level's lateral features at grid resolution, a 1×1 convolution C → C + ReLU and a 1×1 classifier C → K. It only adds
 * a deeper-supervision loss during training; predictions come from the UperNet head.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../engine/rng';
import { denseBackward, denseForward, DenseParams, reluBackward } from '../head/dense';
import { addDense, Grads, ParamStore } from '../head/params';

export interface FcnCache { input: tf.Tensor2D; hidden: tf.Tensor2D }

export class FcnHead {
  readonly conv: DenseParams;
  readonly cls: DenseParams;

  constructor(readonly channels: number, readonly classes: number, store: ParamStore, rng: Rng) {
    this.conv = addDense(store, 'fcn.conv', rng, channels, channels);
    this.cls = addDense(store, 'fcn.cls', rng, channels, classes, 0.01);
  }

  /** x [B·T, C] → logits [B·T, K]. */
  forward(x: tf.Tensor2D): { logits: tf.Tensor2D; cache: FcnCache } {
    const hidden = tf.relu(denseForward(x, this.conv)) as tf.Tensor2D;
    return { logits: denseForward(hidden, this.cls), cache: { input: x, hidden } };
  }

  /** dLogits [B·T, K] → dx [B·T, C]; parameter grads (`fcn.conv|cls.w|b`) added to `grads`. */
  backward(cache: FcnCache, dLogits: tf.Tensor2D, grads: Grads): tf.Tensor2D {
    const gc = denseBackward(cache.hidden, this.cls, dLogits, true);
    grads.set('fcn.cls.w', gc.dw);
    grads.set('fcn.cls.b', gc.db);
    const dh = reluBackward(cache.hidden, gc.dx!) as tf.Tensor2D;
    const g = denseBackward(cache.input, this.conv, dh, true);
    grads.set('fcn.conv.w', g.dw);
    grads.set('fcn.conv.b', g.db);
    return g.dx!;
  }
}
