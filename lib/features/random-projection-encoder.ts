/**
 * A fixed random-projection "encoder": patchify the image, project each patch with a seeded Gaussian matrix, tanh; CLS is
 * the mean token. No learning, deterministic from its seed — the floor every real encoder must beat, and a fast stand-in
 * for testing the frozen-evaluation machinery (Saxe et al. 2011: random features are a meaningful baseline).
 */
import { createRng } from '../engine/rng';
import type { Encoder, EncoderOutput } from './encoder';
import { sha256 } from './cache-key';

export interface RandomProjectionOptions { inputSize?: number; patchSize?: number; dim?: number; seed?: number; channels?: 1 | 3 }

export function randomProjectionEncoder(opts: RandomProjectionOptions = {}): Encoder {
  const size = opts.inputSize ?? 64, p = opts.patchSize ?? 8, d = opts.dim ?? 32, seed = opts.seed ?? 0, ch = opts.channels ?? 1;
  if (size % p !== 0) throw new Error(`randomProjectionEncoder: inputSize ${size} is not a multiple of patchSize ${p}`);
  const g = size / p, t = g * g, k = ch * p * p;
  const rng = createRng(seed);
  const w = Float32Array.from({ length: k * d }, () => rng.normal() / Math.sqrt(k));
  return {
    id: sha256(`randproj:${size}:${p}:${d}:${seed}:${ch}`),
    name: `randproj-${d}d-p${p}-s${seed}`,
    inputSize: size, channels: ch, mean: Array(ch).fill(0.5), std: Array(ch).fill(0.25), patchSize: p, dim: d,
    async embed(pixels: Float32Array, batch: number): Promise<EncoderOutput> {
      if (pixels.length !== batch * ch * size * size) throw new Error(`randomProjectionEncoder: ${pixels.length} pixels for batch ${batch} × ${ch}×${size}×${size}`);
      const patches = new Float32Array(batch * t * d);
      const cls = new Float32Array(batch * d);
      const v = new Float32Array(k);
      for (let b = 0; b < batch; b++) {
        for (let gy = 0; gy < g; gy++) for (let gx = 0; gx < g; gx++) {
          let q = 0;
          for (let c = 0; c < ch; c++) for (let y = 0; y < p; y++) for (let x = 0; x < p; x++) {
            v[q++] = pixels[((b * ch + c) * size + gy * p + y) * size + gx * p + x];
          }
          const out = ((b * t) + gy * g + gx) * d;
          for (let j = 0; j < d; j++) {
            let s = 0;
            for (let i = 0; i < k; i++) s += v[i] * w[i * d + j];
            patches[out + j] = Math.tanh(s);
            cls[b * d + j] += Math.tanh(s) / t;
          }
        }
      }
      return { batch, dim: d, gridH: g, gridW: g, cls, patches };
    },
    dispose() { /* nothing held */ },
    recipe: { kind: 'randproj', options: { ...opts } },
  };
}
