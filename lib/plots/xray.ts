/**
 * Renders an X-ray with overlays — segmentation masks (translucent fill + outline), boxes (with labels) and a heat map
 * (e.g. CLS→patch attention on the patch grid, upsampled bilinearly) — to a PNG. Pixel data are composited by hand
 * (exact, testable); boxes and text are drawn with @napi-rs/canvas (Skia).
 *
 * @example
 * const png = await renderXray({ image, masks: [{ mask: lungs, label: 'lungs' }], boxes, heatmap: { data: attn, width: 14, height: 14 } });
 * showImage(png);
 */
import { createCanvas } from '@napi-rs/canvas';
import { sampleBilinear } from '../data/resize';
import type { GreyImage } from '../data/types';
import { ensureCanvasFonts } from '../report/fonts';
import { CATEGORY_COLORS, hexToRgb, turbo } from './colormap';

export interface MaskOverlay {
  /** width × height of the image, non-zero = inside. */
  mask: Uint8Array;
  label?: string;
  /** '#rrggbb' (default: the palette by index). */
  color?: string;
  /** Fill opacity (default 0.35). */
  alpha?: number;
}

export interface BoxOverlay { x: number; y: number; w: number; h: number; label?: string; color?: string }

export interface HeatmapOverlay {
  /** Row-major values on a width × height grid (any resolution; upsampled to the image). */
  data: Float32Array | number[];
  width: number;
  height: number;
  /** Peak opacity (default 0.5); opacity scales with the normalised value so low values leave the X-ray visible. */
  alpha?: number;
  /** Value range mapped to the colour map (default: the data's min and max). */
  range?: [number, number];
}

export interface XrayView {
  image: GreyImage;
  masks?: (MaskOverlay | Uint8Array)[];
  boxes?: BoxOverlay[];
  heatmap?: HeatmapOverlay;
  /** Output pixels per image pixel (default: enlarge so the longer side is at least 256 px; never shrink). */
  scale?: number;
  /** Title drawn in a band above the image. */
  title?: string;
}


function checkImage(img: GreyImage, what = 'image'): void {
  if (!(img.width > 0 && img.height > 0) || img.data.length !== img.width * img.height) {
    throw new Error(`renderXray: invalid ${what}: ${img.width}×${img.height} with ${img.data.length} values`);
  }
}

/**
 * The composited RGBA pixels (image size, no scaling, no boxes/title): grey image, then masks, then the heat map.
 * Exposed for tests and for callers that want raw pixels.
 */
export function compositeXray(view: Pick<XrayView, 'image' | 'masks' | 'heatmap'>): Uint8ClampedArray {
  const { image } = view;
  checkImage(image);
  const n = image.width * image.height;
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, image.data[i])));
    rgba[4 * i] = v; rgba[4 * i + 1] = v; rgba[4 * i + 2] = v; rgba[4 * i + 3] = 255;
  }
  (view.masks ?? []).forEach((m, k) => {
    const o: MaskOverlay = m instanceof Uint8Array ? { mask: m } : m;
    if (o.mask.length !== n) throw new Error(`renderXray: mask ${o.label ?? k} has ${o.mask.length} values, image has ${n}`);
    const [r, g, b] = hexToRgb(o.color ?? CATEGORY_COLORS[k % CATEGORY_COLORS.length]);
    const a = o.alpha ?? 0.35;
    const W = image.width;
    for (let i = 0; i < n; i++) {
      if (!o.mask[i]) continue;
      const x = i % W, y = (i - x) / W;
      // Outline: an inside pixel with an outside 4-neighbour is drawn opaque, so touching structures stay distinct.
      const edge = x === 0 || y === 0 || x === W - 1 || y === image.height - 1 || !o.mask[i - 1] || !o.mask[i + 1] || !o.mask[i - W] || !o.mask[i + W];
      const al = edge ? 1 : a;
      rgba[4 * i] = rgba[4 * i] * (1 - al) + r * al;
      rgba[4 * i + 1] = rgba[4 * i + 1] * (1 - al) + g * al;
      rgba[4 * i + 2] = rgba[4 * i + 2] * (1 - al) + b * al;
    }
  });
  const hm = view.heatmap;
  if (hm) {
    if (hm.data.length !== hm.width * hm.height) throw new Error(`renderXray: heatmap has ${hm.data.length} values for ${hm.width}×${hm.height}`);
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < hm.data.length; i++) { const v = hm.data[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    if (hm.range) [lo, hi] = hm.range;
    const span = hi > lo ? hi - lo : 1;
    const peak = hm.alpha ?? 0.5;
    const sx = hm.width / image.width, sy = hm.height / image.height;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const t = Math.min(1, Math.max(0, (sampleBilinear(hm.data, hm.width, hm.height, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5) - lo) / span));
        const [r, g, b] = turbo(t);
        const a = peak * t;
        const i = 4 * (y * image.width + x);
        rgba[i] = rgba[i] * (1 - a) + r * a;
        rgba[i + 1] = rgba[i + 1] * (1 - a) + g * a;
        rgba[i + 2] = rgba[i + 2] * (1 - a) + b * a;
      }
    }
  }
  return rgba;
}

/** Renders the view to PNG bytes (see XrayView). */
export async function renderXray(view: XrayView): Promise<Buffer> {
  const { image } = view;
  const rgba = compositeXray(view);
  const scale = view.scale ?? Math.max(1, 256 / Math.max(image.width, image.height));
  if (!(scale > 0)) throw new Error(`renderXray: invalid scale: ${view.scale}`);
  const W = Math.round(image.width * scale), H = Math.round(image.height * scale);
  const band = view.title ? Math.max(18, Math.round(W / 14)) : 0;
  const font = ensureCanvasFonts();
  const base = createCanvas(image.width, image.height);
  const bctx = base.getContext('2d');
  const id = bctx.createImageData(image.width, image.height);
  id.data.set(rgba);
  bctx.putImageData(id, 0, 0);
  const canvas = createCanvas(W, H + band);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, W, H + band);
  ctx.imageSmoothingEnabled = scale < 1;
  ctx.drawImage(base, 0, band, W, H);
  if (view.title) {
    ctx.fillStyle = 'black';
    ctx.font = `${Math.round(band * 0.7)}px ${font}`;
    ctx.textBaseline = 'middle';
    ctx.fillText(view.title, 4, band / 2, W - 8);
  }
  (view.boxes ?? []).forEach((b, k) => {
    const color = b.color ?? CATEGORY_COLORS[(k + 1) % CATEGORY_COLORS.length];
    ctx.strokeStyle = color;
    ctx.lineWidth = Math.max(1.5, W / 200);
    ctx.strokeRect(b.x * scale, band + b.y * scale, b.w * scale, b.h * scale);
    if (b.label) {
      const fs = Math.max(10, Math.round(W / 28));
      ctx.font = `${fs}px ${font}`;
      const tw = ctx.measureText(b.label).width + 6;
      const ty = Math.max(band, band + b.y * scale - fs - 4);
      ctx.fillStyle = color;
      ctx.fillRect(b.x * scale, ty, tw, fs + 4);
      ctx.fillStyle = 'white';
      ctx.textBaseline = 'top';
      ctx.fillText(b.label, b.x * scale + 3, ty + 2);
    }
  });
  return canvas.encode('png');
}
