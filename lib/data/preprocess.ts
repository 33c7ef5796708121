/**
 * Image preprocessing for encoders: resize (separable, deterministic, pure JS) + channel replication + normalisation
 * into CHW float32; batch loading (NCHW) for feature extraction; nearest-neighbour mask resizing.
 *
 * Resize semantics match PyTorch `F.interpolate(mode='bilinear', align_corners=False)`: with `antialias: true`
 * (default, like torchvision's Resize) the triangle filter is widened by the downscale factor (PIL's / torch's
 * `_upsample_bilinear2d_aa`); with `antialias: false` it is plain 2-tap bilinear. Tested against torch.
 */
import { bilinearTaps } from './resize';
import type { GreyImage, SampleTable } from './types';

export interface PreprocessOptions {
  /** Output side (square) or [height, width]. */
  size: number | [number, number];
  channels?: 1 | 3;
  /** Per-channel (or one) mean/std applied to [0,1] pixels: (x - mean) / std. Default ImageNet (DINOv2). */
  mean?: number[];
  std?: number[];
  antialias?: boolean;
  /** Names the image in errors (loadBatch passes the sample id and file, lazily: looking up the file costs a scan). */
  source?: string | (() => string);
}

export const IMAGENET_MEAN = [0.485, 0.456, 0.406];
export const IMAGENET_STD = [0.229, 0.224, 0.225];

interface Taps { start: Int32Array; count: Int32Array; weights: Float32Array; maxTaps: number }

/** Per-output-pixel source taps and weights along one axis. */
function computeTaps(inSize: number, outSize: number, antialias: boolean): Taps {
  const scale = inSize / outSize;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  if (!antialias) {
    // 2-tap bilinear, align_corners=False (./resize, exact border: one tap on the last pixel)
    const weights = new Float32Array(outSize * 2);
    const { i0, i1, w1 } = bilinearTaps(inSize, outSize, 'exact');
    for (let i = 0; i < outSize; i++) {
      start[i] = i0[i];
      count[i] = i1[i] !== i0[i] ? 2 : 1;
      weights[2 * i] = 1 - w1[i];
      weights[2 * i + 1] = w1[i];
    }
    return { start, count, weights, maxTaps: 2 };
  }
  // Antialiased triangle filter (torch upsample_bilinear2d_aa / PIL ImagingResample): support = max(scale, 1)
  const fs = Math.max(scale, 1);
  const support = fs; // bilinear filter support 1.0 × fs
  const maxTaps = Math.ceil(support) * 2 + 1;
  const weights = new Float32Array(outSize * maxTaps);
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let j = 0; j < xmax; j++) {
      const x = (j + xmin - center + 0.5) / fs;
      const w = Math.max(0, 1 - Math.abs(x));
      weights[i * maxTaps + j] = w;
      total += w;
    }
    if (total > 0) for (let j = 0; j < xmax; j++) weights[i * maxTaps + j] /= total;
    start[i] = xmin;
    count[i] = xmax;
  }
  return { start, count, weights, maxTaps };
}

/** Resize a grey image to outH × outW (see module doc for semantics). */
export function resizeGrey(img: GreyImage, outH: number, outW: number, antialias = true): GreyImage {
  const { width: W, height: H, data } = img;
  if (W === outW && H === outH) return { width: W, height: H, data: data.slice() };
  const tx = computeTaps(W, outW, antialias);
  const ty = computeTaps(H, outH, antialias);
  // horizontal pass: H × outW, only on the source rows the vertical taps read (plain bilinear reads ≤ 2 per output row)
  const need = new Uint8Array(H);
  for (let y = 0; y < outH; y++) for (let j = 0; j < ty.count[y]; j++) need[ty.start[y] + j] = 1;
  const tmp = new Float32Array(H * outW);
  const xs = tx.start, xc = tx.count, xw = tx.weights, xm = tx.maxTaps;
  for (let y = 0; y < H; y++) {
    if (!need[y]) continue;
    const row = y * W, orow = y * outW;
    for (let x = 0; x < outW; x++) {
      const s = row + xs[x], c = xc[x], o = x * xm;
      let acc = 0;
      for (let j = 0; j < c; j++) acc += xw[o + j] * data[s + j];
      tmp[orow + x] = acc;
    }
  }
  // vertical pass: outH × outW
  const out = new Float32Array(outH * outW);
  for (let y = 0; y < outH; y++) {
    const s = ty.start[y], c = ty.count[y], o = y * ty.maxTaps;
    for (let j = 0; j < c; j++) {
      const w = ty.weights[o + j];
      if (w === 0) continue;
      const row = (s + j) * outW;
      for (let x = 0; x < outW; x++) out[y * outW + x] += w * tmp[row + x];
    }
  }
  return { width: outW, height: outH, data: out };
}

/**
 * Throws on the first NaN or ±Inf value, naming `where(sample)` and the pixel. The one gate of non-finite pixels on
 * their way to an encoder (preprocess, hence feature extraction; `raydino encoder embed`'s .npy batches): a NaN pixel
 * would otherwise give NaN features with exit 0 and surface far away, in statistics. `perSample` values form one
 * sample; `width` (optional) turns the index into row/column.
 */
export function assertFinitePixels(data: ArrayLike<number>, perSample: number, where: (sample: number) => string, width?: number): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v === 0) continue; // false for NaN and ±Inf, cheaper than Number.isFinite in this loop
    const s = Math.floor(i / perSample), k = i - s * perSample;
    const at = width ? `row ${Math.floor(k / width)}, column ${k % width}` : `value ${k}`;
    throw new Error(`${where(s)}: pixel ${at} is ${v}; non-finite pixels are refused (fix or drop the image)`);
  }
}

/**
 * Resize + replicate channels + normalise → Float32Array CHW. NaN/Inf pixels throw (assertFinitePixels).
 * @example
 * const chw = preprocess(img, { size: 224, channels: 3 }); // length 3 * 224 * 224
 */
export function preprocess(img: GreyImage, opts: PreprocessOptions): Float32Array {
  const [h, w] = typeof opts.size === 'number' ? [opts.size, opts.size] : opts.size;
  const channels = opts.channels ?? 3;
  const mean = opts.mean ?? (channels === 3 ? IMAGENET_MEAN : [IMAGENET_MEAN[0]]);
  const std = opts.std ?? (channels === 3 ? IMAGENET_STD : [IMAGENET_STD[0]]);
  for (const [name, v] of [['mean', mean], ['std', std]] as const) {
    if (v.length !== 1 && v.length !== channels) throw new Error(`invalid ${name}: ${v.length} values for ${channels} channels`);
  }
  assertFinitePixels(img.data, img.data.length, () => (typeof opts.source === 'function' ? opts.source() : opts.source ?? 'image'), img.width);
  const r = resizeGrey(img, h, w, opts.antialias ?? true);
  const hw = h * w;
  const out = new Float32Array(channels * hw);
  for (let c = 0; c < channels; c++) {
    const m = mean.length === 1 ? mean[0] : mean[c];
    const s = std.length === 1 ? std[0] : std[c];
    if (!(s > 0)) throw new Error(`invalid std: ${s}`);
    const inv = 1 / s;
    const o = c * hw;
    for (let i = 0; i < hw; i++) out[o + i] = (r.data[i] - m) * inv;
  }
  return out;
}

/** Nearest-neighbour mask resize (torch `mode='nearest'`: src = floor(dst × in / out)). */
export function resizeMaskNearest(mask: Uint8Array, width: number, height: number, outW: number, outH: number): Uint8Array {
  if (mask.length !== width * height) throw new Error(`mask has ${mask.length} pixels, expected ${width}×${height}`);
  const out = new Uint8Array(outW * outH);
  const sx = width / outW, sy = height / outH;
  const xs = new Int32Array(outW);
  for (let x = 0; x < outW; x++) xs[x] = Math.min(Math.floor(x * sx), width - 1);
  for (let y = 0; y < outH; y++) {
    const row = Math.min(Math.floor(y * sy), height - 1) * width;
    for (let x = 0; x < outW; x++) out[y * outW + x] = mask[row + xs[x]];
  }
  return out;
}

/** ' (file)' of a sample whose image comes from a file, '' for generated images. */
function fileOf(samples: SampleTable, id: string): string {
  if (!samples.table.columnNames().includes('path')) return '';
  const ids = samples.table.array('id') as ArrayLike<string>;
  const paths = samples.table.array('path') as ArrayLike<string | null>;
  for (let i = 0; i < ids.length; i++) if (String(ids[i]) === id) return paths[i] ? ` (${paths[i]})` : '';
  return '';
}

/** The parts of EncoderInfo (lib/features/encoder.ts) preprocessing needs. */
export interface BatchSpec { inputSize: number; channels: 1 | 3; mean: number[]; std: number[] }

/**
 * Decode + preprocess the given sample ids into one NCHW Float32Array (N = ids.length), in the order given.
 * Decoding runs with a small concurrency (sharp works off the main thread).
 */
export async function loadBatch(samples: SampleTable, ids: readonly string[], encoder: BatchSpec, opts: { antialias?: boolean; concurrency?: number } = {}): Promise<Float32Array> {
  const { inputSize: s, channels: c } = encoder;
  const per = c * s * s;
  const out = new Float32Array(ids.length * per);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= ids.length) return;
      const img = await samples.loadImage(ids[i]);
      const source = () => `${samples.dataset}: sample ${ids[i]}${fileOf(samples, ids[i])}`;
      out.set(preprocess(img, { size: s, channels: c, mean: encoder.mean, std: encoder.std, antialias: opts.antialias, source }), i * per);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, ids.length)) }, worker));
  return out;
}
