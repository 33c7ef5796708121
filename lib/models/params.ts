/**
 * Named parameters of a ViT, keyed by the dinov2 state-dict names (`blocks.3.attn.qkv.weight`, …).
 * Layout differs from PyTorch where speed needs it (see weights.ts for the conversion):
 *  - Linear weights are stored [in, out] (PyTorch: [out, in]) so the forward is an untransposed 2-D matmul;
 *  - patch_embed.proj.weight is stored [C·p·p, D] (PyTorch conv: [D, C, p, p]);
 * everything else has PyTorch's shape.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../engine/rng';
import type { ViTConfig } from './config';

export type Init = { kind: 'normal'; std: number } | { kind: 'const'; value: number };

export interface ParamSpec {
  key: string;
  shape: number[];
  init: Init;
}

/** Every parameter of a model with this config, in a stable order (embeddings, blocks, final norm). */
export function paramSpecs(c: ViTConfig): ParamSpec[] {
  const D = c.dim, p = c.patchSize, M = c.imgSize / c.patchSize;
  const specs: ParamSpec[] = [
    { key: 'cls_token', shape: [1, 1, D], init: { kind: 'normal', std: 1e-6 } },
    { key: 'pos_embed', shape: [1, 1 + M * M, D], init: { kind: 'normal', std: 0.02 } },
    { key: 'mask_token', shape: [1, D], init: { kind: 'const', value: 0 } },
    { key: 'patch_embed.proj.weight', shape: [c.inChans * p * p, D], init: { kind: 'normal', std: 1 / Math.sqrt(c.inChans * p * p) } },
    { key: 'patch_embed.proj.bias', shape: [D], init: { kind: 'const', value: 0 } },
  ];
  if (c.numRegisters > 0) specs.push({ key: 'register_tokens', shape: [1, c.numRegisters, D], init: { kind: 'normal', std: 1e-6 } });
  const lin = (key: string, i: number, o: number): ParamSpec[] => [
    { key: `${key}.weight`, shape: [i, o], init: { kind: 'normal', std: 0.02 } },
    { key: `${key}.bias`, shape: [o], init: { kind: 'const', value: 0 } },
  ];
  const norm = (key: string): ParamSpec[] => [
    { key: `${key}.weight`, shape: [D], init: { kind: 'const', value: 1 } },
    { key: `${key}.bias`, shape: [D], init: { kind: 'const', value: 0 } },
  ];
  for (let b = 0; b < c.depth; b++) {
    const k = `blocks.${b}`;
    specs.push(...norm(`${k}.norm1`), ...lin(`${k}.attn.qkv`, D, 3 * D), ...lin(`${k}.attn.proj`, D, D));
    if (c.layerScaleInit !== null) specs.push({ key: `${k}.ls1.gamma`, shape: [D], init: { kind: 'const', value: c.layerScaleInit } });
    specs.push(...norm(`${k}.norm2`), ...lin(`${k}.mlp.fc1`, D, c.mlpHidden), ...lin(`${k}.mlp.fc2`, c.mlpHidden, D));
    if (c.layerScaleInit !== null) specs.push({ key: `${k}.ls2.gamma`, shape: [D], init: { kind: 'const', value: c.layerScaleInit } });
  }
  specs.push(...norm('norm'));
  return specs;
}

/** Initial values for one parameter (seeded; dinov2 init: trunc-normal 0.02 for linears / pos_embed, 1e-6 for tokens). */
export function initValues(spec: ParamSpec, rng: Rng): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  if (spec.init.kind === 'const') out.fill(spec.init.value);
  else {
    const std = spec.init.std;
    for (let i = 0; i < n; i++) {
      let v = rng.normal();
      while (Math.abs(v) > 2) v = rng.normal(); // truncated at ±2σ (timm's trunc_normal_ with a=-2σ, b=2σ)
      out[i] = v * std;
    }
  }
  return out;
}

export type ParamMap = Map<string, tf.Variable>;

/** Reads a parameter, with a clear error naming the missing key. */
export function param<T extends tf.Tensor = tf.Tensor>(params: ParamMap, key: string): T {
  const v = params.get(key);
  if (!v) throw new Error(`ViT parameter ${key} is missing`);
  return v as unknown as T;
}
