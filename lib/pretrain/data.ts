/**
 * Pretraining images: the train split of the synthetic chest-X-ray generator (lib/data/synthetic), decoded once and
 * kept in memory as grey [0, 1] images (1024 × 128² floats ≈ 64 MB).
 */
import { loadSynthetic } from '../data/synthetic';
import { GreyImage } from '../data/types';
import type { SyntheticOptions } from '../data/synthetic';
import { PretrainConfig } from './config';

/** RayDINO's pretraining data mixes sites; the embedded default mixes the generator's three populations equally. */
export const DEFAULT_POPULATIONS = ['popA', 'popB', 'popC'];

/** The generator options of a pretraining config (train split only; labels are never used). */
export function syntheticOptions(c: PretrainConfig): SyntheticOptions {
  // The split fractions send every generated study to train: pretraining has no held-out set of its own.
  return {
    variant: 'cxr', n: c.data.count, size: c.data.imageSize, seed: c.data.seed,
    populations: (c.data.populations.length ? c.data.populations : DEFAULT_POPULATIONS) as [string, ...string[]],
    splits: [1, 0, 0], name: 'synthetic-cxr-pretrain',
  };
}

/** Loads (generating if needed) the images of a config. */
export async function loadPretrainImages(c: PretrainConfig, onProgress?: (done: number, total: number) => void): Promise<GreyImage[]> {
  const table = await loadSynthetic(syntheticOptions(c));
  const ids = table.table.array('id') as string[];
  const out: GreyImage[] = [];
  for (const id of ids) {
    out.push(await table.loadImage(id));
    onProgress?.(out.length, ids.length);
  }
  if (out.length < c.optim.batchSize) throw new Error(`pretrain: the generator returned ${out.length} images, fewer than a batch (${c.optim.batchSize})`);
  return out;
}
