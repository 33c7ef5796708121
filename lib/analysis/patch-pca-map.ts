/**
 * DINOv2-style PCA colour maps of patch tokens (Oquab et al. 2023, "DINOv2", Fig. 1 and §7.4; the RayDINO paper's
 * patch-feature maps): a PCA over the patch tokens of a few images JOINTLY; its first component, min–max scaled to [0, 1]
 * and thresholded, separates foreground (the body) from background; a second PCA over the foreground patches only gives
 * 3 components, each min–max scaled over all the foreground patches of all the images and mapped to R, G, B.
 * Background patches are black. Scaling jointly keeps colours comparable across the images: the same part, same colour.
 */
import type { FeatureSet } from '../features/feature-set';
import { selectIds } from '../features/feature-set';
import { fitPca, projectPca } from './pca';

export interface PatchPcaOptions {
  /** Feature dimension D of each token (required: the flat array alone does not tell N from D). */
  dim: number;
  /** Threshold on the min–max scaled first component (default 0.5, the dinov2 demo's); null = no foreground step. */
  fgThreshold?: number | null;
  /**
   * Which side of the threshold is foreground: 'above' (scaled PC1 > threshold), 'below' (the complement), or 'majority'
   * (default): the side holding at least half the patches — on a chest film the body fills most of the image, and the
   * sign of a principal component is arbitrary, so a fixed side would flip from model to model.
   */
  foreground?: 'majority' | 'above' | 'below';
  /** Components mapped to colour channels (1–3, default 3: R, G, B; with fewer the remaining channels stay 0). */
  components?: number;
}

export interface PatchPcaMap {
  n: number;
  gridH: number;
  gridW: number;
  /** Per image, [gridH·gridW·3] RGB bytes, row-major patches. */
  rgb: Uint8Array[];
  /** Per image, [gridH·gridW] 1 = foreground patch. */
  foreground: Uint8Array[];
  /** Explained variance ratio of the colour components (of the foreground PCA). */
  explained: number[];
  /** Explained variance ratio of the first component of the all-patch PCA (NaN without a foreground step). */
  firstExplained: number;
}

/**
 * @param patches [N, T, D] row-major, T = gridH·gridW.
 * @example
 * const map = patchPcaMap(features.patches, 16, 16, { dim: 384 });
 * showImage(await pcaMapPng(map.rgb[0], 16, 16, 224));
 */
export function patchPcaMap(patches: ArrayLike<number>, gridH: number, gridW: number, opts: PatchPcaOptions): PatchPcaMap {
  const fn = 'patchPcaMap';
  const { dim } = opts;
  const t = gridH * gridW;
  if (!Number.isInteger(gridH) || !Number.isInteger(gridW) || gridH < 1 || gridW < 1) throw new Error(`${fn}: invalid grid ${gridH}×${gridW}`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`${fn}: invalid dim ${dim}`);
  if (patches.length === 0 || patches.length % (t * dim) !== 0) {
    throw new Error(`${fn}: patches has ${patches.length} values, not a multiple of gridH·gridW·dim = ${gridH}·${gridW}·${dim}`);
  }
  const k = opts.components ?? 3;
  if (!Number.isInteger(k) || k < 1 || k > 3) throw new Error(`${fn}: components must be 1, 2 or 3, got ${opts.components}`);
  const threshold = opts.fgThreshold === undefined ? 0.5 : opts.fgThreshold;
  if (threshold !== null && !(threshold >= 0 && threshold <= 1)) throw new Error(`${fn}: fgThreshold must be in [0, 1] or null, got ${threshold}`);
  const side = opts.foreground ?? 'majority';
  if (!['majority', 'above', 'below'].includes(side)) throw new Error(`${fn}: invalid foreground: ${side}`);
  const n = patches.length / (t * dim);
  const rows = n * t;

  const fg = new Uint8Array(rows).fill(1);
  let firstExplained = NaN;
  if (threshold !== null) {
    const first = fitPca(patches, rows, dim, 1);
    firstExplained = first.explained[0];
    const pc1 = projectPca(first, patches, rows);
    const [lo, hi] = minMax(pc1, 0, 1);
    let above = 0;
    for (let r = 0; r < rows; r++) {
      fg[r] = hi > lo && (pc1[r] - lo) / (hi - lo) > threshold ? 1 : 0;
      above += fg[r];
    }
    if (side === 'below' || (side === 'majority' && above * 2 < rows)) for (let r = 0; r < rows; r++) fg[r] = 1 - fg[r];
  }
  let fgCount = 0;
  for (let r = 0; r < rows; r++) fgCount += fg[r];
  if (fgCount < 2) throw new Error(`${fn}: only ${fgCount} foreground patch(es) at fgThreshold ${threshold} (${side}); lower the threshold or pass fgThreshold: null`);
  const colour = fitPca(patches, rows, dim, Math.min(k, dim), fg);
  const proj = projectPca(colour, patches, rows, fg);
  const kk = colour.components.length;
  const ranges = Array.from({ length: kk }, (_, c) => minMax(proj, c, kk));
  const rgb = Array.from({ length: n }, () => new Uint8Array(t * 3));
  let i = 0;
  for (let r = 0; r < rows; r++) {
    if (!fg[r]) continue;
    const img = Math.floor(r / t), p = r % t;
    for (let c = 0; c < kk; c++) {
      const [lo, hi] = ranges[c];
      rgb[img][p * 3 + c] = hi > lo ? Math.round((255 * (proj[i * kk + c] - lo)) / (hi - lo)) : 0;
    }
    i++;
  }
  return {
    n, gridH, gridW, rgb,
    foreground: Array.from({ length: n }, (_, img) => fg.slice(img * t, (img + 1) * t)),
    explained: colour.explained, firstExplained,
  };
}

/** Min and max of column c of a row-major [rows × stride] array. */
function minMax(a: Float64Array, c: number, stride: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = c; i < a.length; i += stride) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i]; }
  return [lo, hi];
}

/**
 * patchPcaMap over the patch tokens of some samples of a FeatureSet (default: its first 4).
 * @example const map = featurePcaMap(features, ['s001', 's002', 's003']);
 */
export function featurePcaMap(features: FeatureSet, ids?: readonly string[], opts: Omit<PatchPcaOptions, 'dim'> = {}): PatchPcaMap & { ids: string[] } {
  if (!features.patches) throw new Error(`featurePcaMap: the ${features.encoder} features of ${features.dataset}/${features.split} have no patch tokens`);
  const chosen = ids ?? features.ids.slice(0, 4);
  const sel = selectIds(features, chosen);
  return { ...patchPcaMap(sel.patches as Float32Array, sel.gridH, sel.gridW, { ...opts, dim: sel.dim }), ids: [...chosen] };
}
