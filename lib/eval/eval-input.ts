/**
 * What every protocol takes: a model name, the dataset (labels, demographics, boxes), its features per split — given, or
 * extracted through the cache from an Encoder — the seeds, and the adapter grid options.
 */
import type { ColumnTable } from 'arquero';
import type { GridOptions } from '../config/grid-options';
import type { GridConfig } from '../adapters/grid/config';
import type { SampleTable, Split } from '../data/types';
import type { Encoder } from '../features/encoder';
import { extractFeatures } from '../features/extract';
import type { FeatureSet } from '../features/feature-set';

export interface HeadOptions {
  /** Subset of the paper's 156-config grid (default: all). */
  grid?: GridOptions;
  /** Explicit config list (overrides grid). */
  configs?: GridConfig[];
  epochs?: number;
  batchSize?: number;
  hidden?: number;
  /** Matrix-product engine of the grid (default 'ort'). */
  engine?: 'ort' | 'tfjs';
  /** Grid threads: a number or 'auto' (default: 2 on big grids, see lib/adapters/head-grid). */
  workers?: number | 'auto';
  /** Attentive heads score position-centred tokens (lib/adapters/attentive-family; default false). */
  centreKeys?: boolean;
}

export interface EvalInput {
  model: string;
  samples: SampleTable;
  /** Features per split (ids must be in `samples`). Missing splits are extracted with `encoder`. */
  features?: Partial<Record<Split, FeatureSet>>;
  encoder?: Encoder;
  /** Feature cache folder (needed with `encoder`). */
  cacheDir?: string;
  /** Encoder batch size for extraction (default 32). */
  extractBatchSize?: number;
  /** Dataset identity for the cache key (manifest hash, generator options). */
  datasetKey?: string;
  /** Seeds of the adapter training (the paper: 5); default [0]. */
  seeds?: number[];
  head?: HeadOptions;
  /** Label subset (default: every label of the dataset / the protocol's default). */
  labels?: string[];
  /** Bootstrap CI on test (default 200 resamples, seed 0); false to skip. */
  bootstrap?: { n?: number; seed?: number } | false;
  /** Name in the `task` column (default: the protocol's). */
  task?: string;
}

/** Test-set scores of one seed's selected config. */
export interface Predictions {
  seed: number;
  fold: number;
  config: string;
  split: string;
  /** Test group / population the scores are about ('' when the whole split). */
  group: string;
  ids: string[];
  classNames: string[];
  /** [N, C] probabilities (sigmoid for multi-label, softmax for multi-class). */
  scores: Float32Array;
  /** [N, C] 1/0/NaN (multi-label) or class indices [N] (multi-class). */
  labels: Float32Array | Int32Array;
}

export interface EvalResult {
  table: ColumnTable;
  predictions: Predictions[];
}

/** The FeatureSet of each requested split, given or extracted through the cache. */
export async function resolveFeatures(input: EvalInput, splits: readonly Split[]): Promise<Record<Split, FeatureSet>> {
  const out: Partial<Record<Split, FeatureSet>> = {};
  for (const split of splits) {
    const given = input.features?.[split];
    if (given) { out[split] = given; continue; }
    if (!input.encoder || !input.cacheDir) {
      throw new Error(`eval ${input.model}: no ${split} features given and no encoder + cacheDir to extract them`);
    }
    out[split] = await extractFeatures(input.encoder, input.samples, {
      split, batchSize: input.extractBatchSize ?? 32, cacheDir: input.cacheDir, datasetKey: input.datasetKey,
    });
  }
  return out as Record<Split, FeatureSet>;
}

export const seedsOf = (input: EvalInput): number[] => input.seeds ?? [0];
