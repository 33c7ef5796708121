import { resolvePretrainConfig } from '../../lib/pretrain/config';

/** A tiny but complete run: 1-block ViT, 4×4 global grid, 2 local crops, drop-path, masks, KoLeo, both centres. */
export const tinyConfig = resolvePretrainConfig({
  seed: 3,
  model: { arch: 'vit_nano', dropPathRate: 0.2, overrides: { dim: 24, depth: 1, heads: 2, mlpHidden: 48 } },
  data: { count: 12 },
  crops: { globalSize: 32, localSize: 16, nLocal: 2 },
  head: { hiddenDim: 32, bottleneckDim: 8, prototypes: 32 },
  ibot: { maskSampleProbability: 1 },
  optim: { steps: 6, batchSize: 4, warmupSteps: 1, freezeLastLayerSteps: 1, scalingRule: 'none', baseLr: 1e-3 },
});

export function tinyImages(n: number, size = 48): { width: number; height: number; data: Float32Array }[] {
  return Array.from({ length: n }, (_, i) => {
    const data = new Float32Array(size * size);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - size / 2 - (i % 5), y - size / 2);
      data[y * size + x] = 0.5 + 0.4 * Math.sin(r / (2 + (i % 3))) * Math.cos((x * (i + 1)) / 9);
    }
    return { width: size, height: size, data };
  });
}

