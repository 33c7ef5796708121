import { resolveSupervisedConfig } from '../../lib/baselines/config';
import { LabelledImages } from '../../lib/baselines/labelled-images';

/** A tiny but complete supervised run: 1-block ViT, 32 px input (4×4 grid), drop-path on, 3 labels. */
export const tinyConfig = resolveSupervisedConfig({
  seed: 5,
  model: { arch: 'vit_nano', dropPathRate: 0.2, overrides: { dim: 24, depth: 1, heads: 2, mlpHidden: 48 } },
  augment: { inputSize: 32 },
  optim: { steps: 6, batchSize: 4, warmupSteps: 2, lr: 1e-3 },
  train: { evalEvery: 3, checkpointEvery: 2, evalBatchSize: 5, float16: false },
});

/**
 * n images (48 px) whose labels are visible: label 0 = a bright disk, label 1 = horizontal stripes, label 2 = unknown
 * on every 3rd image (NaN) and otherwise "disk AND stripes".
 */
export function tinyData(n: number, seed = 0, size = 48): LabelledImages {
  const images = [], labels = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const disk = (i + seed) % 2 === 0, stripes = Math.floor((i + seed) / 2) % 2 === 0;
    const data = new Float32Array(size * size);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
      let v = 0.3 + 0.1 * Math.sin((x + 3 * i) / 5);
      if (disk && Math.hypot(x - 20 - (i % 7), y - 24) < 8) v += 0.5;
      if (stripes && Math.floor(y / 4) % 2 === 0) v += 0.15;
      data[y * size + x] = Math.min(1, v);
    }
    images.push({ width: size, height: size, data });
    labels.set([disk ? 1 : 0, stripes ? 1 : 0, i % 3 === 0 ? NaN : disk && stripes ? 1 : 0], 3 * i);
  }
  return { ids: images.map((_, i) => `img${i}`), images, labelNames: ['disk', 'stripes', 'both'], labels };
}
