/**
 * Features for the dense heads and the protocols that share their cache entries: the encoder blocks a 4-level
 * segmentation pyramid reads, train / val / test features WITH those blocks (one extraction per encoder serves the grid
 * protocols and segmentation), every row of a real set, and row-wise concatenation of feature sets.
 */
import type { SampleTable, Split } from '../../data/types';
import { extractFeatures } from '../../features/extract';
import type { FeatureSet } from '../../features/feature-set';
import { ProtocolInput, splitFeatures } from '../protocol';
import { defaultPyramidBlocks } from './segmentation';

/** The encoder blocks a 4-level segmentation pyramid reads (lib/eval defaultPyramidBlocks); [] without an encoder. */
export function pyramidBlocks(input: Pick<ProtocolInput, 'encoder'>): number[] {
  return input.encoder ? defaultPyramidBlocks(input.encoder.blocks, 4) : [];
}

/**
 * train / val / test features of a dataset WITH the pyramid blocks, through the cache: the same entry then serves the
 * classification protocols (CLS + patches) and segmentation (blocks), so each image is embedded once per encoder.
 * Splits given in `input.features` are used as they are.
 */
export async function pyramidFeatures(input: Pick<ProtocolInput, 'model' | 'features' | 'encoder' | 'cacheDir' | 'extractBatchSize' | 'datasetKey'>, samples: SampleTable): Promise<Record<Split, FeatureSet>> {
  const blocks = pyramidBlocks(input);
  return splitFeatures(input, samples, ['train', 'val', 'test'], { blocks, where: `features of ${input.model}` });
}

/** Every row of a (real) dataset, all splits, with the pyramid blocks, through the cache. */
export async function allRowFeatures(input: Pick<ProtocolInput, 'model' | 'encoder' | 'cacheDir' | 'extractBatchSize'>, samples: SampleTable): Promise<FeatureSet> {
  if (!input.encoder || !input.cacheDir) throw new Error(`${input.model}: needs encoder + cacheDir for the ${samples.dataset} features`);
  const blocks = pyramidBlocks(input);
  return extractFeatures(input.encoder, samples, {
    batchSize: input.extractBatchSize ?? 32, cacheDir: input.cacheDir, blocks: blocks.length ? blocks : undefined,
  });
}

/** Row-wise concatenation of feature sets with the same grid and dim (cls, patches and the blocks all share). */
export function concatFeatures(sets: readonly FeatureSet[], split: string): FeatureSet {
  if (!sets.length) throw new Error('concatFeatures: no feature sets');
  const f0 = sets[0];
  for (const f of sets) {
    if (f.dim !== f0.dim || f.gridH !== f0.gridH || f.gridW !== f0.gridW) {
      throw new Error(`concatFeatures: ${f.dataset}/${f.split} is ${f.gridH}×${f.gridW}×${f.dim}, ${f0.dataset}/${f0.split} ${f0.gridH}×${f0.gridW}×${f0.dim}`);
    }
  }
  const cat = (arrays: Float32Array[]) => {
    const out = new Float32Array(arrays.reduce((s, a) => s + a.length, 0));
    let o = 0;
    for (const a of arrays) { out.set(a, o); o += a.length; }
    return out;
  };
  const allHave = (get: (f: FeatureSet) => unknown) => sets.every((f) => get(f) !== undefined);
  const blockIds = f0.blocks ? [...f0.blocks.keys()].filter((b) => sets.every((f) => f.blocks?.has(b))) : [];
  return {
    ...f0, key: '', dir: undefined, split, dataset: [...new Set(sets.map((f) => f.dataset))].join('+'),
    ids: sets.flatMap((f) => f.ids), n: sets.reduce((s, f) => s + f.n, 0),
    cls: cat(sets.map((f) => f.cls)),
    patches: allHave((f) => f.patches) ? cat(sets.map((f) => f.patches!)) : undefined,
    blocks: blockIds.length ? new Map(blockIds.map((b) => [b, cat(sets.map((f) => f.blocks!.get(b)!))])) : undefined,
  };
}
