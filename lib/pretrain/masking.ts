/**
 * Block-wise masking for iBOT (Bao et al. 2022 BEiT §2.5; dinov2 `data/masking.py` MaskingGenerator and
 * `data/collate.py` collate_data_and_cast). Rectangles of random area and aspect ratio are added until the target count
 * of patches is reached; across a batch of global crops, a fraction `probability` of the crops is masked, with mask
 * ratios spread evenly over `ratio` (each draws in its own sub-interval of the linspace), the rest unmasked, shuffled.
 */
import { Rng } from '../engine/rng';

export interface MaskingOptions {
  gridH: number;
  gridW: number;
  /** Smallest rectangle (patches); dinov2: 4. */
  minPatches?: number;
  /** Largest total masked patches of one crop; dinov2: 0.5 · tokens. */
  maxPatches?: number;
  /** Aspect ratio range [minAspect, 1/minAspect]; dinov2: 0.3. */
  minAspect?: number;
}

/** Python's random.randint(a, b), b inclusive. */
function randint(rng: Rng, a: number, b: number): number {
  return a + rng.int(b - a + 1);
}

/** One block mask with (up to) `count` masked patches, row-major gridH × gridW, 1 = masked. */
export function blockMask(count: number, opts: MaskingOptions, rng: Rng): Uint8Array {
  const { gridH: H, gridW: W } = opts;
  const minPatches = opts.minPatches ?? 4;
  const maxPatches = opts.maxPatches ?? count;
  const minAspect = opts.minAspect ?? 0.3;
  const logAspect = [Math.log(minAspect), Math.log(1 / minAspect)];
  const mask = new Uint8Array(H * W);
  const addBlock = (maxMask: number): number => {
    let delta = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = rng.range(minPatches, maxMask);
      const aspect = Math.exp(rng.range(logAspect[0], logAspect[1]));
      const h = Math.round(Math.sqrt(area * aspect));
      const w = Math.round(Math.sqrt(area / aspect));
      if (w < W && h < H) {
        const top = randint(rng, 0, H - h);
        const left = randint(rng, 0, W - w);
        let already = 0;
        for (let i = top; i < top + h; i++) for (let j = left; j < left + w; j++) already += mask[i * W + j];
        // Only accept a block that adds something without overshooting the budget.
        if (h * w - already > 0 && h * w - already <= maxMask) {
          for (let i = top; i < top + h; i++) for (let j = left; j < left + w; j++) {
            if (!mask[i * W + j]) { mask[i * W + j] = 1; delta++; }
          }
        }
        if (delta > 0) break;
      }
    }
    return delta;
  };
  let masked = 0;
  while (masked < count) {
    const delta = addBlock(Math.min(count - masked, maxPatches));
    if (delta === 0) break;
    masked += delta;
  }
  return mask;
}

export interface BatchMaskOptions extends MaskingOptions {
  /** Mask ratio range (dinov2: [0.1, 0.5]). */
  ratio: [number, number];
  /** Fraction of crops that get a mask (dinov2: 0.5). */
  probability: number;
}

/** Masks for `n` global crops, [n · gridH · gridW] row-major (crop-major), 1 = masked. */
export function batchMasks(n: number, opts: BatchMaskOptions, rng: Rng): Uint8Array {
  const tokens = opts.gridH * opts.gridW;
  const nMasked = Math.floor(n * opts.probability);
  const [lo, hi] = opts.ratio;
  const masks: Uint8Array[] = [];
  const maxPatches = opts.maxPatches ?? Math.floor(0.5 * tokens);
  for (let i = 0; i < nMasked; i++) {
    const pMin = lo + ((hi - lo) * i) / nMasked;
    const pMax = lo + ((hi - lo) * (i + 1)) / nMasked;
    masks.push(blockMask(Math.floor(tokens * rng.range(pMin, pMax)), { ...opts, maxPatches }, rng));
  }
  for (let i = nMasked; i < n; i++) masks.push(new Uint8Array(tokens));
  const out = new Uint8Array(n * tokens);
  rng.shuffle(masks).forEach((m, i) => out.set(m, i * tokens));
  return out;
}
