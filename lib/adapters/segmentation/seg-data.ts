/**
 * In-memory inputs of the segmentation adapter: frozen patch tokens of several blocks for N samples, and the masks
 * brought to the head's output and grid sizes (area-averaged, so targets are soft coverage fractions in [0, 1]).
 * Coverage is stored as bytes (value·255, rounded): 4× less memory than float for N·P0·K targets, and a 1/510 error
 * that soft Dice does not notice.
 */
import { resampleMap } from './resample';

/** Patch tokens of L blocks for N samples, each level row-major [N, T, D] with T = gridH·gridW. */
export interface SegTokens {
  n: number;
  gridH: number;
  gridW: number;
  dim: number;
  levels: Float32Array[];
}

/** Targets aligned with SegTokens rows. */
export interface SegTargets {
  classes: number;
  outH: number;
  outW: number;
  /** [N, outH·outW, K] coverage ×255 at the head output size. */
  target: Uint8Array;
  /** [N, T, K] coverage ×255 at grid size (auxiliary head). */
  auxTarget: Uint8Array;
  /** [N, K] 1 = class annotated on that sample, 0 = ignore. */
  weight: Float32Array;
}

/** One sample's masks at the original image size (1 = inside), null where a class is not annotated. */
export interface SampleMasks {
  width: number;
  height: number;
  masks: (Uint8Array | null)[];
}

export function checkSegTokens(x: SegTokens, where = 'SegTokens'): void {
  const per = x.gridH * x.gridW * x.dim;
  if (!x.levels.length) throw new Error(`${where}: no token levels`);
  x.levels.forEach((l, i) => {
    if (l.length !== x.n * per) {
      throw new Error(`${where}: level ${i} has ${l.length} values, expected N·T·D = ${x.n}·${x.gridH * x.gridW}·${x.dim}`);
    }
  });
}

/** Interleaves per-class maps [K][H·W] (values in [0, 1]) into bytes [H·W, K] at offset `base` of `out`. */
function writeInterleaved(out: Uint8Array, base: number, maps: (Float32Array | null)[], pixels: number): void {
  const k = maps.length;
  maps.forEach((m, c) => {
    if (!m) return;
    for (let p = 0; p < pixels; p++) out[base + p * k + c] = Math.round(Math.min(1, Math.max(0, m[p])) * 255);
  });
}

/** Zeroed targets for n samples × k classes (fill with `writeSampleTargets`). */
export function allocSegTargets(n: number, k: number, outSize: [number, number], gridSize: [number, number]): SegTargets {
  const [oh, ow] = outSize;
  const [gh, gw] = gridSize;
  return {
    classes: k, outH: oh, outW: ow,
    target: new Uint8Array(n * oh * ow * k),
    auxTarget: new Uint8Array(n * gh * gw * k),
    weight: new Float32Array(n * k),
  };
}

/** Area-resamples one sample's masks into row `i` of `y` (grid size = auxiliary target size). */
export function writeSampleTargets(y: SegTargets, i: number, s: SampleMasks, gridSize: [number, number], where = `sample ${i}`): void {
  const k = y.classes;
  const { outH: oh, outW: ow } = y;
  const [gh, gw] = gridSize;
  if (s.masks.length !== k) throw new Error(`segmentation targets: ${where} has ${s.masks.length} classes, expected ${k}`);
  const out: (Float32Array | null)[] = [];
  const aux: (Float32Array | null)[] = [];
  s.masks.forEach((m, c) => {
    if (!m) { out.push(null); aux.push(null); return; }
    if (m.length !== s.width * s.height) {
      throw new Error(`segmentation targets: ${where} class ${c} mask has ${m.length} pixels, expected ${s.width}×${s.height}`);
    }
    y.weight[i * k + c] = 1;
    out.push(resampleMap(m, s.height, s.width, oh, ow, 'area'));
    aux.push(resampleMap(m, s.height, s.width, gh, gw, 'area'));
  });
  writeInterleaved(y.target, i * oh * ow * k, out, oh * ow);
  writeInterleaved(y.auxTarget, i * gh * gw * k, aux, gh * gw);
}

/**
 * Builds targets for N samples: each annotated mask area-resampled to [outH, outW] and [gridH, gridW].
 * @example
 * const targets = buildSegTargets(samples, head.outSize, [14, 14]);
 */
export function buildSegTargets(samples: SampleMasks[], outSize: [number, number], gridSize: [number, number]): SegTargets {
  if (!samples.length) throw new Error('buildSegTargets: no samples');
  const y = allocSegTargets(samples.length, samples[0].masks.length, outSize, gridSize);
  samples.forEach((s, i) => writeSampleTargets(y, i, s, gridSize));
  return y;
}

/** Rows `idx` of byte coverage [N, rowLen] as floats in [0, 1]. */
export function gatherCoverage(src: Uint8Array, rowLen: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * rowLen);
  for (let i = 0; i < idx.length; i++) {
    const base = idx[i] * rowLen;
    const o = i * rowLen;
    for (let j = 0; j < rowLen; j++) out[o + j] = src[base + j] / 255;
  }
  return out;
}
