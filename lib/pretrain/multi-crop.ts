/**
 * Multi-crop (Caron et al. 2020 SwAV; dinov2 `DataAugmentationDINO`) with RayDINO's X-ray settings: 2 global crops
 * covering 15–100 % of the image and N local crops covering 5–15 % (paper: 512 / 224 px; embedded default CPU-sized),
 * each followed by the grey photometric pipeline (augment.ts) and normalisation (x − mean) / std.
 */
import { sampleBilinear } from '../data/resize';
import { GreyImage } from '../data/types';
import { Rng } from '../engine/rng';
import { PhotometricOptions, defaultPhotometric, photometric } from './augment';

export interface MultiCropOptions {
  globalSize: number;
  localSize: number;
  nLocal: number;
  globalScale: [number, number];
  localScale: [number, number];
  photometric: PhotometricOptions;
  mean: number;
  std: number;
}

export const defaultMultiCrop: MultiCropOptions = {
  globalSize: 64, localSize: 32, nLocal: 6, globalScale: [0.15, 1], localScale: [0.05, 0.15],
  photometric: defaultPhotometric, mean: 0.5, std: 0.25,
};

export interface CropBox { top: number; left: number; h: number; w: number }

/** torchvision RandomResizedCrop.get_params (ratio 3/4–4/3, 10 attempts, then the central crop). */
export function randomResizedCropBox(height: number, width: number, scale: [number, number], rng: Rng, ratio: [number, number] = [3 / 4, 4 / 3]): CropBox {
  const area = height * width;
  const logR = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let i = 0; i < 10; i++) {
    const target = area * rng.range(scale[0], scale[1]);
    const aspect = Math.exp(rng.range(logR[0], logR[1]));
    const w = Math.round(Math.sqrt(target * aspect));
    const h = Math.round(Math.sqrt(target / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return { top: rng.int(height - h + 1), left: rng.int(width - w + 1), h, w };
    }
  }
  const inRatio = width / height;
  let w = width, h = height;
  if (inRatio < ratio[0]) h = Math.round(w / ratio[0]);
  else if (inRatio > ratio[1]) w = Math.round(h * ratio[1]);
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), h, w };
}

/**
 * Resamples a crop box to size × size: bilinear, averaged over s × s sub-samples per output pixel when the crop is
 * larger than the output (a box pre-filter against aliasing, s ≤ 4).
 */
export function resizeCrop(img: GreyImage, box: CropBox, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const { width: W, height: H, data } = img;
  const s = Math.min(4, Math.max(1, Math.ceil(Math.max(box.h, box.w) / size)));
  const sy = box.h / size, sx = box.w / size;
  for (let oy = 0; oy < size; oy++) for (let ox = 0; ox < size; ox++) {
    let acc = 0;
    for (let a = 0; a < s; a++) for (let b = 0; b < s; b++) {
      // pixel-centre convention (align_corners = False)
      acc += sampleBilinear(data, W, H, box.left + (ox + (b + 0.5) / s) * sx - 0.5, box.top + (oy + (a + 0.5) / s) * sy - 0.5);
    }
    out[oy * size + ox] = acc / (s * s);
  }
  return out;
}

export interface Crops {
  global: Float32Array[];
  local: Float32Array[];
}

/** 2 global + nLocal local crops of one image, normalised. */
export function multiCrop(img: GreyImage, opts: MultiCropOptions, rng: Rng): Crops {
  const crop = (size: number, scale: [number, number], blurProb: number, solarizeProb: number) => {
    const box = randomResizedCropBox(img.height, img.width, scale, rng);
    const x = resizeCrop(img, box, size);
    photometric(x, size, opts.photometric, blurProb, solarizeProb, rng);
    for (let i = 0; i < x.length; i++) x[i] = (x[i] - opts.mean) / opts.std;
    return x;
  };
  const global = [
    crop(opts.globalSize, opts.globalScale, 1.0, 0),
    crop(opts.globalSize, opts.globalScale, 0.1, opts.photometric.solarizeProb),
  ];
  const local: Float32Array[] = [];
  for (let i = 0; i < opts.nLocal; i++) local.push(crop(opts.localSize, opts.localScale, 0.5, 0));
  return { global, local };
}

/**
 * Stacks per-image crops crop-major into NCHW buffers with `channels` copies of the grey plane:
 * global [2·B, C, G, G] (all images' crop 0, then crop 1), local [nL·B, C, L, L].
 */
export function collateCrops(crops: Crops[], channels: number, globalSize: number, localSize: number): { global: Float32Array; local: Float32Array } {
  const b = crops.length;
  const stack = (pick: (c: Crops) => Float32Array[], size: number) => {
    const n = pick(crops[0]).length;
    const plane = size * size;
    const out = new Float32Array(n * b * channels * plane);
    for (let k = 0; k < n; k++) for (let i = 0; i < b; i++) {
      const src = pick(crops[i])[k];
      for (let c = 0; c < channels; c++) out.set(src, ((k * b + i) * channels + c) * plane);
    }
    return out;
  };
  return { global: stack((c) => c.global, globalSize), local: stack((c) => c.local, localSize) };
}
