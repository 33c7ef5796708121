/**
 * A PCA colour map (patch-pca-map.ts) as a displayable image: the [gridH·gridW·3] patch colours upsampled to an image size
 * (nearest: one flat square per patch, as the DINOv2 figures show them; or bilinear), RGBA; or PNG bytes via sharp for
 * showImage / renderGrid.
 */
import sharp from 'sharp';
import { resizeBilinear, Size, toSize } from '../data/resize';

export interface RgbaImage { width: number; height: number; data: Uint8ClampedArray }

export interface PcaMapImageOptions { interpolation?: 'nearest' | 'bilinear' }

/**
 * @example const img = pcaMapImage(map.rgb[0], 16, 16, 224); // { width: 224, height: 224, data (RGBA) }
 */
export function pcaMapImage(rgb: ArrayLike<number>, gridH: number, gridW: number, size: number | Size, opts: PcaMapImageOptions = {}): RgbaImage {
  const fn = 'pcaMapImage';
  if (rgb.length !== gridH * gridW * 3) throw new Error(`${fn}: rgb has ${rgb.length} values, expected gridH·gridW·3 = ${gridH * gridW * 3}`);
  const { width, height } = toSize(fn, size);
  const mode = opts.interpolation ?? 'nearest';
  const data = new Uint8ClampedArray(width * height * 4);
  if (mode === 'bilinear') {
    const up = resizeBilinear(rgb, gridH, gridW, height, width, 3);
    for (let p = 0; p < width * height; p++) {
      for (let c = 0; c < 3; c++) data[p * 4 + c] = Math.round(up[p * 3 + c]);
      data[p * 4 + 3] = 255;
    }
  } else if (mode === 'nearest') {
    for (let y = 0; y < height; y++) {
      // pixel centre → patch (half-pixel centres, like torch 'nearest-exact')
      const gy = Math.min(Math.floor(((y + 0.5) * gridH) / height), gridH - 1);
      for (let x = 0; x < width; x++) {
        const gx = Math.min(Math.floor(((x + 0.5) * gridW) / width), gridW - 1);
        const s = (gy * gridW + gx) * 3, o = (y * width + x) * 4;
        data[o] = rgb[s]; data[o + 1] = rgb[s + 1]; data[o + 2] = rgb[s + 2]; data[o + 3] = 255;
      }
    }
  } else throw new Error(`${fn}: invalid interpolation: ${mode}`);
  return { width, height, data };
}

/** pcaMapImage encoded as PNG. @example showImage(await pcaMapPng(map.rgb[0], 16, 16, 224)); */
export async function pcaMapPng(rgb: ArrayLike<number>, gridH: number, gridW: number, size: number | Size, opts: PcaMapImageOptions = {}): Promise<Buffer> {
  const img = pcaMapImage(rgb, gridH, gridW, size, opts);
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: 4 } })
    .png().toBuffer();
}
