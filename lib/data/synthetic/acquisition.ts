/**
 * Acquisition: attenuation → displayed intensity, then site effects. Display follows Beer–Lambert,
 * I = 1 - exp(-contrast · A) (bright = attenuating, as radiographs are shown), a gamma and a pedestal;
 * collimation shutters (bright borders) and lead markers are exposed with the image, so they are blurred with it;
 * detector blur = repeated [1,2,1] passes; quantum-like noise grows with intensity. Noise comes from a fixed table
 * of normals read with a per-image random start and small odd stride (fast and reproducible).
 */
import { createRng, Rng } from '../../engine/rng';
import { drawText, textWidth } from './font';
import { blur121 } from './raster';
import type { AcquisitionSpec } from './spec';

const TABLE_BITS = 18;
const INV255 = 1 / 255;
let normalTable: Float32Array | null = null;
function normals(): Float32Array {
  if (!normalTable) {
    const r = createRng(0x5eed);
    normalTable = new Float32Array(1 << TABLE_BITS);
    for (let i = 0; i < normalTable.length; i++) normalTable[i] = r.normal();
  }
  return normalTable;
}

const LUT_SIZE = 1024; // linear interpolation error < 1e-4 in intensity, far below one 8-bit step
const LUT_MAX = 4;
const lut = new Float32Array(LUT_SIZE + 1);

/** Attenuation (in place) → display intensity in [0, 1], through a linearly interpolated lookup table (exp/pow per pixel is the hot spot). */
export function toDisplay(a: Float32Array, acq: AcquisitionSpec): void {
  const c = acq.contrast, g = acq.gamma, ped = acq.pedestal;
  for (let k = 0; k <= LUT_SIZE; k++) {
    const v = 1 - Math.exp((-c * k * LUT_MAX) / LUT_SIZE);
    lut[k] = ped + (1 - ped) * Math.pow(v, g);
  }
  const scale = LUT_SIZE / LUT_MAX;
  for (let i = 0; i < a.length; i++) {
    let x = a[i] * scale;
    if (x <= 0) { a[i] = lut[0]; continue; }
    if (x >= LUT_SIZE) x = LUT_SIZE - 1e-3;
    const k = x | 0, f = x - k;
    a[i] = lut[k] + f * (lut[k + 1] - lut[k]);
  }
}

export function applyCollimation(img: Float32Array, size: number, acq: AcquisitionSpec): void {
  if (!acq.collimation) return;
  const [u0, v0, u1, v1] = acq.collimation;
  const x0 = Math.round(u0 * size), x1 = Math.round(u1 * size), y0 = Math.round(v0 * size), y1 = Math.round(v1 * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (x >= x0 && x < x1 && y >= y0 && y < y1) continue;
      img[y * size + x] = 0.8 + 0.04 * (y / size);
    }
  }
}

export function applyMarker(img: Float32Array, size: number, acq: AcquisitionSpec): void {
  if (!acq.marker) return;
  const cell = Math.max(1, Math.round((size / 112) * acq.marker.scale));
  const w = textWidth(acq.marker.text, cell);
  const pad = Math.round(0.04 * size);
  const x = acq.marker.corner === 0 ? pad : size - pad - w;
  drawText(img, size, acq.marker.text, x, pad, cell, 0.97);
}

export function applyNoise(img: Float32Array, acq: AcquisitionSpec, rng: Rng): void {
  const t = normals();
  const mask = t.length - 1;
  let idx = rng.int(t.length);
  // a small odd stride keeps the table walk cache-friendly (a large one cost 4× in cache misses)
  const stride = 1 + 2 * rng.int(4);
  const s = acq.noise;
  // noise, clamp and 8-bit quantisation in one pass
  for (let i = 0; i < img.length; i++) {
    const v = img[i];
    let x = v + s * (0.5 + 0.7 * v) * t[idx];
    idx = (idx + stride) & mask;
    x = x < 0 ? 0 : x > 1 ? 1 : x;
    img[i] = ((x * 255 + 0.5) | 0) * INV255;
  }
}

/** Full chain after the attenuation is summed; returns quantised [0, 1] values k/255 (exactly what the uint8 cache holds). */
export function acquire(a: Float32Array, size: number, acq: AcquisitionSpec, rng: Rng, tmp: Float32Array): Float32Array {
  toDisplay(a, acq);
  applyCollimation(a, size, acq);
  applyMarker(a, size, acq);
  // detector blur is a physical width: passes scale with pixel count (variance 0.5 px² per pass)
  blur121(a, size, 1 + Math.round(acq.blurPasses * (size / 224) ** 2), tmp);
  applyNoise(a, acq, rng);
  return a;
}
