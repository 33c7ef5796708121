/**
 * generatePhantom: one spec → image + masks + boxes + labels. Pure given (spec, rng): the rng only feeds detector
 * noise, so the same spec and seed give the same bytes, and masks can be re-derived without the image.
 */
import type { Rng } from '../../engine/rng';
import type { GreyImage } from '../types';
import type { VertebraCorners } from './cobb';
import type { PhantomBox } from './draw-context';
import { apparentCtr } from './guideline';
import { renderCxr } from './render-cxr';
import { renderSpine } from './render-spine';
import type { PhantomSpec } from './spec';

export interface PhantomMeta {
  variant: PhantomSpec['variant'];
  population: string;
  view: 'PA' | 'AP';
  sex: PhantomSpec['sex'];
  age: number;
  ageBin: PhantomSpec['ageBin'];
  /** What is drawn, per label (the labels may differ by the site's guideline). */
  truth: Record<string, number>;
  /** Cardiothoracic ratio as measured on the film (AP magnified). */
  apparentCtr: number | null;
  brace: boolean;
  braceBox: PhantomBox | null;
  classIndex: number | null;
  cobb: { pt: number; mt: number; tl: number } | null;
  /** Vertebra corners in PIXELS (TL, TR, BL, BR per vertebra), spine variant only. */
  landmarks: VertebraCorners[] | null;
}

export interface Phantom {
  image: GreyImage;
  masks: Map<string, Uint8Array>;
  boxes: PhantomBox[];
  labels: Record<string, number>;
  meta: PhantomMeta;
}

export interface GenerateOptions {
  /** Square image side in pixels (default 224). */
  size?: number;
  /** Rasterise the anatomy/finding masks (default true; the cache path skips them). */
  masks?: boolean;
}

/**
 * @example
 * const spec = samplePhantomSpec(createRng(7), { findings: ['Effusion'] });
 * const ph = generatePhantom(spec, createRng(spec.seed), { size: 112 });
 * ph.masks.get('right_lung'); ph.boxes[0]; // { label: 'Effusion', x, y, w, h }
 */
export function generatePhantom(spec: PhantomSpec, rng: Rng, options: GenerateOptions = {}): Phantom {
  const size = options.size ?? 224;
  if (!Number.isInteger(size) || size < 32) throw new Error(`generatePhantom: invalid size ${size} (integer ≥ 32)`);
  const withMasks = options.masks ?? true;
  const out = spec.variant === 'spine' ? renderSpine(spec, size, rng, withMasks) : renderCxr(spec, size, rng, withMasks);
  return {
    image: { width: size, height: size, data: out.data },
    masks: out.masks,
    boxes: out.boxes,
    labels: { ...spec.labels },
    meta: {
      variant: spec.variant,
      population: spec.population,
      view: spec.view,
      sex: spec.sex,
      age: spec.age,
      ageBin: spec.ageBin,
      truth: { ...spec.truth },
      apparentCtr: spec.variant === 'spine' ? null : apparentCtr(spec),
      brace: spec.brace,
      braceBox: out.braceBox,
      classIndex: spec.classIndex ?? null,
      cobb: spec.spine ? { ...spec.spine.cobb } : null,
      landmarks: spec.spine ? spec.spine.landmarks.map((c) => c.map(([x, y]) => [x * size, y * size]) as VertebraCorners) : null,
    },
  };
}
