/**
 * Photometric augmentations for grey radiographs (the X-ray counterpart of dinov2 `data/augmentations.py`).
 * Choices (see docs/pretrain.md): no colour jitter / grayscale (images are grey), no solarize by default (an inverted
 * radiograph is not a plausible radiograph; dinov2 applies it to the 2nd global crop with p 0.2 — available, off),
 * brightness/contrast jitter (dinov2's ColorJitter 0.4/0.4 with p 0.8), gamma (exposure curve, p 0.5), Gaussian blur
 * (dinov2: p 1.0 / 0.1 / 0.5 for global 1 / global 2 / local, σ 0.1–2 px at 224 px, scaled to the crop size), additive
 * Gaussian noise (quantum noise, p 0.2), horizontal flip OFF by default (the heart's side is anatomy, not nuisance).
 * All functions work in place on a square [0, 1] float image and draw from a seeded Rng.
 */
import { Rng } from '../engine/rng';

export interface PhotometricOptions {
  brightness: number;     // factor drawn in [1 − b, 1 + b]
  contrast: number;       // factor drawn in [1 − c, 1 + c], around the image mean
  jitterProb: number;
  gamma: [number, number];
  gammaProb: number;
  blurSigma: [number, number]; // in pixels at 224 px; scaled by size / 224
  noiseStd: [number, number];
  noiseProb: number;
  hflipProb: number;
  solarizeProb: number;
}

export const defaultPhotometric: PhotometricOptions = {
  brightness: 0.4, contrast: 0.4, jitterProb: 0.8, gamma: [0.7, 1.5], gammaProb: 0.5,
  blurSigma: [0.1, 2.0], noiseStd: [0, 0.03], noiseProb: 0.2, hflipProb: 0, solarizeProb: 0,
};

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Brightness then contrast (torchvision ColorJitter order for these two is random; fixed here, immaterial for grey). */
export function jitter(img: Float32Array, brightness: number, contrast: number, rng: Rng): void {
  const b = rng.range(1 - brightness, 1 + brightness);
  const c = rng.range(1 - contrast, 1 + contrast);
  let mean = 0;
  for (let i = 0; i < img.length; i++) { img[i] = clamp01(img[i] * b); mean += img[i]; }
  mean /= img.length;
  for (let i = 0; i < img.length; i++) img[i] = clamp01((img[i] - mean) * c + mean);
}

export function gamma(img: Float32Array, g: number): void {
  for (let i = 0; i < img.length; i++) img[i] = Math.pow(img[i], g);
}

/** Separable Gaussian blur with reflect padding (as torchvision's GaussianBlur), kernel radius ⌈3σ⌉. */
export function gaussianBlur(img: Float32Array, size: number, sigma: number): void {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) { k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma)); s += k[i + r]; }
  for (let i = 0; i < k.length; i++) k[i] /= s;
  const reflect = (i: number) => { while (i < 0 || i >= size) i = i < 0 ? -i : 2 * size - 2 - i; return i; };
  const tmp = new Float32Array(img.length);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    let a = 0;
    for (let i = -r; i <= r; i++) a += k[i + r] * img[y * size + reflect(x + i)];
    tmp[y * size + x] = a;
  }
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    let a = 0;
    for (let i = -r; i <= r; i++) a += k[i + r] * tmp[reflect(y + i) * size + x];
    img[y * size + x] = a;
  }
}

export function addNoise(img: Float32Array, std: number, rng: Rng): void {
  for (let i = 0; i < img.length; i++) img[i] = clamp01(img[i] + std * rng.normal());
}

export function hflip(img: Float32Array, size: number): void {
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < size >> 1; x++) {
      const t = img[row + x]; img[row + x] = img[row + size - 1 - x]; img[row + size - 1 - x] = t;
    }
  }
}

/** The photometric pipeline for one crop; `blurProb` depends on which crop (dinov2: 1.0, 0.1, 0.5). */
export function photometric(img: Float32Array, size: number, opts: PhotometricOptions, blurProb: number, solarizeProb: number, rng: Rng): void {
  if (rng.uniform() < opts.hflipProb) hflip(img, size);
  if (rng.uniform() < opts.jitterProb) jitter(img, opts.brightness, opts.contrast, rng);
  if (rng.uniform() < opts.gammaProb) gamma(img, Math.exp(rng.range(Math.log(opts.gamma[0]), Math.log(opts.gamma[1]))));
  if (rng.uniform() < blurProb) gaussianBlur(img, size, rng.range(opts.blurSigma[0], opts.blurSigma[1]) * (size / 224));
  if (rng.uniform() < opts.noiseProb) addNoise(img, rng.range(opts.noiseStd[0], opts.noiseStd[1]), rng);
  if (rng.uniform() < solarizeProb) for (let i = 0; i < img.length; i++) if (img[i] >= 0.5) img[i] = 1 - img[i];
}
