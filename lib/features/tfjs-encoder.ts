/**
 * The tfjs fallback Encoder (./encoder.ts): our ViT (trained here, or DINOv2 / HF weights imported into it) run by
 * whatever tfjs backend is active. Slower than ONNX Runtime for inference (5–8× on ViT forward; `raydino bench`, docs/bench.md), but needs no
 * export step and is the same code path as training.
 *
 * @example
 * const enc = createTfjsEncoder(loadViT('rad-dino.safetensors', { format: 'hf' }), { inputSize: 224 });
 */
import { createHash } from 'crypto';
import * as tf from '@tensorflow/tfjs-core';
import type { ViT } from '../models/vit';
import type { Encoder, EncoderOutput } from './encoder';

export interface TfjsEncoderOptions {
  /** Square input side (default the model's imgSize). */
  inputSize?: number;
  /** Input channels fed to the model (default the model's; 1 on a 3-channel model = grey replicated). */
  channels?: 1 | 3;
  /** Identity for feature caches (default sha256 of the weights). */
  id?: string;
  name?: string;
  /** Images per forward pass (default 16): bounds the wasm heap. */
  maxBatch?: number;
  /** Dispose the ViT with the encoder (default true). */
  ownsModel?: boolean;
}

export function weightsHash(vit: ViT): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(vit.config));
  for (const k of vit.variableKeys) {
    const d = vit.params.get(k)!.dataSync() as Float32Array;
    h.update(k);
    h.update(Buffer.from(d.buffer, d.byteOffset, d.byteLength));
  }
  return h.digest('hex');
}

export function createTfjsEncoder(vit: ViT, opts: TfjsEncoderOptions = {}): Encoder {
  const c = vit.config;
  const S = opts.inputSize ?? c.imgSize;
  const C = opts.channels ?? c.inChans;
  const grid = Math.floor(S / c.patchSize);
  const maxBatch = opts.maxBatch ?? 16;
  const channelStats = (v: number[]) => (v.length === C ? v : C === 1 ? [v.reduce((a, b) => a + b, 0) / v.length] : [v[0], v[0], v[0]]);
  return {
    id: opts.id ?? weightsHash(vit),
    name: opts.name ?? c.name,
    inputSize: S, channels: C, mean: channelStats(c.mean), std: channelStats(c.std), patchSize: c.patchSize, dim: c.dim,
    blocks: Array.from({ length: c.depth }, (_, i) => i),
    async embed(pixels, batch, eopts = {}): Promise<EncoderOutput> {
      const per = C * S * S;
      if (pixels.length !== batch * per) throw new Error(`tfjs encoder: embed got ${pixels.length} values for batch ${batch} × ${C}×${S}×${S}`);
      const T = grid * grid, D = c.dim;
      const cls = new Float32Array(batch * D), patches = new Float32Array(batch * T * D);
      const wanted = eopts.blocks ?? [];
      const blocks = new Map(wanted.map((b) => [b, new Float32Array(batch * T * D)]));
      const attention = eopts.attention ? new Float32Array(batch * c.heads * T) : undefined;
      for (let s = 0; s < batch; s += maxBatch) {
        const n = Math.min(maxBatch, batch - s);
        const x = tf.tensor4d(pixels.subarray(s * per, (s + n) * per), [n, C, S, S]);
        const out = vit.forward(x, { returnBlocks: wanted, returnAttention: eopts.attention });
        // read outside any tidy (tf.tidy(() => t.dataSync()) is pathological in tfjs-wasm)
        cls.set(await out.cls.data() as Float32Array, s * D);
        patches.set(await out.patches.data() as Float32Array, s * T * D);
        for (let i = 0; i < wanted.length; i++) blocks.get(wanted[i])!.set(await out.blocks![i].data() as Float32Array, s * T * D);
        if (attention) attention.set(await out.attention!.data() as Float32Array, s * c.heads * T);
        tf.dispose([x, out.cls, out.patches, ...(out.blocks ?? []), ...(out.registers ? [out.registers] : []), ...(out.attention ? [out.attention] : [])]);
      }
      const result: EncoderOutput = { batch, dim: D, gridH: grid, gridW: grid, cls, patches };
      if (wanted.length) result.blocks = blocks;
      if (attention) result.attention = attention;
      return result;
    },
    dispose() { if (opts.ownsModel !== false) vit.dispose(); },
  };
}
