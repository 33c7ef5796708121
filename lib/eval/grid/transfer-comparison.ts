/**
 * Frozen-encoder transfer across populations (paper Fig. 4a; the supervised-competitor comparison of Fig. 2a / S4):
 * each encoder is frozen, its features extracted through the cache, and lib/eval's generalization protocol trains the
 * adapter grid on ONE population's train split, selects on its val split, and tests on every listed population's test
 * split. The returned ResultTable stacks the encoders (column `model`).
 *
 * @example
 * const table = await transferComparison({
 *   encoders: { 'supervised-popA': 'checkpoints/supervised-vit_nano-popA', random: 'random:vit_nano:0' },
 *   cacheDir: '.cache/features', trainPopulation: 'popA', testPopulations: ['popA', 'popB'],
 * });
 */
import type { ColumnTable } from 'arquero';
import type { GridOptions } from '../../config/grid-options';
import type { SampleTable } from '../../data/types';
import { openEncoder } from '../../features/open-encoder';
import { evalGeneralization } from './generalization';

export interface TransferComparisonOptions {
  /** Model name → encoder spec (anything lib/features openEncoder accepts: checkpoint folder, .safetensors, random:…). */
  encoders: Record<string, string>;
  cacheDir: string;
  trainPopulation: string;
  testPopulations: string[];
  /** The evaluation data (default: synthetic CXR, equal mix of the train and test populations, seed 2, 128 px). */
  samples?: SampleTable;
  data?: { count?: number; size?: number; seed?: number };
  labels?: string[];
  /** Adapter grid subset (default: linear heads over avg pooling, lr 1e-4…1e-2, wd 0 and 1e-4). */
  grid?: GridOptions;
  epochs?: number;
  seeds?: number[];
  inputSize?: number;
}

export async function transferComparison(o: TransferComparisonOptions): Promise<ColumnTable> {
  let samples = o.samples;
  let datasetKey: string | undefined;
  if (!samples) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { loadSynthetic } = require('../data/synthetic') as { loadSynthetic(x: Record<string, unknown>): Promise<SampleTable> };
    const gen = {
      variant: 'cxr', n: o.data?.count ?? 2000, size: o.data?.size ?? 128, seed: o.data?.seed ?? 2,
      populations: [...new Set([o.trainPopulation, ...o.testPopulations])], name: 'synthetic-cxr-transfer',
    };
    samples = await loadSynthetic(gen);
    datasetKey = JSON.stringify(gen);
  }
  const grid = o.grid ?? { poolings: ['avg'], layers: [1], lrs: [1e-4, 1e-3, 1e-2], wds: [0, 1e-4] };
  let out: ColumnTable | null = null;
  for (const [model, spec] of Object.entries(o.encoders)) {
    const encoder = await openEncoder(spec, { inputSize: o.inputSize });
    try {
      const r = await evalGeneralization({
        model, samples, encoder, cacheDir: o.cacheDir, datasetKey, labels: o.labels, seeds: o.seeds,
        trainPopulation: o.trainPopulation, testPopulations: o.testPopulations, head: { grid, epochs: o.epochs },
      });
      out = out ? out.concat(r.table) : r.table;
    } finally {
      await encoder.dispose();
    }
  }
  if (!out) throw new Error('transferComparison: no encoders given');
  return out;
}
