/** Test stand-ins: a tiny generated SampleTable (images from a seed, one pixel changeable) and a counting encoder wrapper. */
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import { createRng } from '../../lib/engine/rng';
import type { Encoder } from '../../lib/features/encoder';

export function tinySamples(n: number, opts: { size?: number; seed?: number; bump?: string; splitOf?: (i: number) => string } = {}): SampleTable {
  const size = opts.size ?? 32;
  const ids = Array.from({ length: n }, (_, i) => `img${String(i).padStart(3, '0')}`);
  const split = ids.map((_, i) => (opts.splitOf ? opts.splitOf(i) : i % 5 === 0 ? 'val' : 'train'));
  const table = aq.table({ id: ids, path: ids.map(() => null), split, patient: ids, finding: ids.map((_, i) => i % 2) });
  return {
    dataset: 'tiny', table, labelNames: ['finding'], problems: [],
    async loadImage(id: string) {
      const rng = createRng((opts.seed ?? 0) * 1000 + ids.indexOf(id));
      const data = Float32Array.from({ length: size * size }, () => rng.uniform());
      if (opts.bump === id) data[7] = Math.min(1, data[7] + 0.5); // one changed pixel in one image
      return { width: size, height: size, data };
    },
  };
}

/** Wraps an encoder, counting embedded samples; throws once `failAfter` batches have been embedded. */
export function counting(enc: Encoder, failAfter = Infinity): Encoder & { calls: number; samples: number } {
  const w = Object.assign(Object.create(null), enc, { calls: 0, samples: 0 }) as Encoder & { calls: number; samples: number };
  w.embed = async (px, b, o) => {
    if (w.calls >= failAfter) throw new Error('interrupted (test)');
    w.calls++; w.samples += b;
    return enc.embed(px, b, o);
  };
  return w;
}

/** An encoder with intermediate blocks 0..depth-1 (block k = patches · (k + 1) / depth), recording the blocks asked per call. */
export function withBlocks(enc: Encoder, depth = 4): Encoder & { asked: number[][] } {
  const w = Object.assign(Object.create(null), enc, { asked: [] as number[][], blocks: Array.from({ length: depth }, (_, k) => k) }) as Encoder & { asked: number[][] };
  delete (w as Partial<Encoder>).recipe; // the wrapper's blocks exist in this thread only
  w.embed = async (px, b, o) => {
    w.asked.push([...(o?.blocks ?? [])]);
    const out = await enc.embed(px, b, o);
    const blocks = new Map((o?.blocks ?? []).map((k) => [k, out.patches.map((v) => (v * (k + 1)) / depth)]));
    return { ...out, blocks: blocks.size ? blocks : undefined };
  };
  return w;
}
