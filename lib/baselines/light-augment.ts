/**
 * Light training augmentation of the supervised baseline: one RandomResizedCrop covering ≥ 60 % of the image (so the
 * findings stay in view; torchvision semantics, lib/pretrain/multi-crop.ts) and a small brightness/contrast jitter
 * (lib/pretrain/augment.ts), then (x − mean) / std. Validation images are resized whole with the encoders'
 * preprocessing (lib/data/preprocess.ts), the same path frozen-feature extraction uses.
 */
import { preprocess } from '../data/preprocess';
import { GreyImage } from '../data/types';
import { Rng } from '../engine/rng';
import { jitter } from '../pretrain/augment';
import { randomResizedCropBox, resizeCrop } from '../pretrain/multi-crop';

export interface LightAugmentOptions {
  size: number;
  scale: [number, number];
  ratio: [number, number];
  brightness: number;
  contrast: number;
  jitterProb: number;
  mean: number;
  std: number;
}

/** One augmented, normalised size × size view of `img`. */
export function lightAugment(img: GreyImage, o: LightAugmentOptions, rng: Rng): Float32Array {
  const box = randomResizedCropBox(img.height, img.width, o.scale, rng, o.ratio);
  const x = resizeCrop(img, box, o.size);
  if (rng.uniform() < o.jitterProb) jitter(x, o.brightness, o.contrast, rng);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - o.mean) / o.std;
  return x;
}

/** Whole images resized to size × size and normalised, stacked NCHW [N, 1, size, size]. */
export function evalBatch(images: GreyImage[], size: number, mean: number, std: number): Float32Array {
  const plane = size * size;
  const out = new Float32Array(images.length * plane);
  images.forEach((img, i) => out.set(preprocess(img, { size, channels: 1, mean: [mean], std: [std] }), i * plane));
  return out;
}
