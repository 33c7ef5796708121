/**
 * Patch embedding: non-overlapping p×p patches → linear projection to D (dinov2 layers/patch_embed.py, a Conv2d with
 * kernel = stride = p). Written as reshape + one 2-D matmul: tfjs-wasm has no Conv2DBackpropFilter kernel and the 2-D
 * matmul is its fastest op. Feature order inside a patch is (channel, row, col), as PyTorch's conv weight [D, C, p, p].
 */
import * as tf from '@tensorflow/tfjs-core';
import { linear } from './ops/linear';

/**
 * x [B, C, H, W] → patch rows [B·gh·gw, C·p·p] (row-major over the patch grid). Only rank-4 transposes: rank ≥ 5
 * transposes are ~50× slower in tfjs-wasm.
 */
export function patchify(x: tf.Tensor4D, p: number): tf.Tensor2D {
  const [B, C, H, W] = x.shape;
  if (H % p !== 0 || W % p !== 0) throw new Error(`patch embed: input ${H}×${W} is not a multiple of the patch size ${p}`);
  const gh = H / p, gw = W / p;
  return tf.tidy(() => {
    const a = tf.transpose(tf.reshape(x, [B * C * gh, p, gw, p]), [0, 2, 1, 3]); // [B·C·gh, gw, p, p]
    const b = tf.transpose(tf.reshape(a, [B, C, gh * gw, p * p]), [0, 2, 1, 3]); // [B, T, C, p·p]
    return tf.reshape(b, [B * gh * gw, C * p * p]);
  });
}

/**
 * Patch tokens [B·T, D]. A 3-channel model fed 1-channel input uses the channel-summed weight — identical to replicating
 * the grey image to RGB, as done for public DINOv2 weights.
 */
export function patchEmbed(x: tf.Tensor4D, weight: tf.Tensor2D, bias: tf.Tensor1D, p: number, inChans: number): tf.Tensor2D {
  const C = x.shape[1];
  let w = weight;
  if (C !== inChans) {
    if (!(C === 1 && inChans === 3)) throw new Error(`patch embed: input has ${C} channels, the model expects ${inChans}`);
    w = tf.sum(tf.reshape(weight, [3, p * p, weight.shape[1]]), 0);
  }
  return linear(patchify(x, p), w, bias);
}
