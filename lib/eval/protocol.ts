/**
 * The one protocol contract. Every protocol of lib/eval takes ONE argument of a type that extends ProtocolInput — the
 * ProtocolInput fields (a model name, the dataset as `samples` — labels, demographics, boxes, masks, targets —, its
 * features per split, given or extracted through the cache from an Encoder, the seeds and the head options) plus the
 * protocol's own fields (`ProtocolInput & { … }`: a population, a second dataset, the profile section it needs) — and
 * returns a ProtocolResult: the tidy ResultTable (./result-table), the test-set scores, and `extras` — what only that
 * protocol has (attention maps, masks, the lr selection, …). PROTOCOLS (./registry) names them.
 */
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { headGridOptionsSchema } from '../adapters/grid/head-grid';
import type { SampleTable, Split } from '../data/types';
import type { Encoder } from '../features/encoder';
import { extractFeatures } from '../features/extract';
import type { FeatureSet } from '../features/feature-set';

/**
 * Head options a protocol passes to the grid (lib/adapters/head-grid): `grid` a subset of the paper's 156 configs (default
 * all; CLS-only features get average pooling only), `configs` an explicit list, epochs, batch size, hidden width, the
 * matrix-product engine, grid threads and `centreKeys` — the grid's own schema, so defaults and checks live in one place.
 */
export const headOptionsSchema = headGridOptionsSchema.pick({
  grid: true, configs: true, epochs: true, batchSize: true, hidden: true, engine: true, workers: true, centreKeys: true,
});
export type HeadOptions = z.input<typeof headOptionsSchema>;

/** Where a protocol's features come from: given per split, or extracted with `encoder` through the cache. */
export interface FeatureSource {
  /** Features per split (ids must be in the dataset). Missing splits are extracted with `encoder`. */
  features?: Partial<Record<Split, FeatureSet>>;
  encoder?: Encoder;
  /** Feature cache folder (needed with `encoder`). */
  cacheDir?: string;
  /** Encoder batch size for extraction (default 32). */
  extractBatchSize?: number;
  /** Dataset identity for the cache key (manifest hash, generator options). */
  datasetKey?: string;
}

/**
 * What every protocol takes (a protocol's own input type is `ProtocolInput & { its fields }`). The dense protocols
 * (lib/eval/dense: evalSegmentation, evalRegression, segmentTasks, lungTransfer, cobbAngles) ignore `head`, `labels` and
 * `bootstrap`: their heads are configured by their own fields and they report no bootstrap CI.
 */
export interface ProtocolInput extends FeatureSource {
  model: string;
  samples: SampleTable;
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

/** What every protocol returns; `X` is what only this protocol has (`{}` for the grid protocols). */
export interface ProtocolResult<X = NoExtras> {
  /** The tidy ResultTable (./result-table). */
  table: ColumnTable;
  /** Test-set scores per seed (grid protocols; the dense protocols keep theirs in `extras`). */
  predictions: Predictions[];
  extras: X;
}

/** The extras of a protocol that has none. */
// eslint-disable-next-line @typescript-eslint/ban-types
export type NoExtras = {};

/**
 * The FeatureSet of each requested split: given, or extracted from `samples` through the cache — with the encoder
 * `blocks` a segmentation pyramid reads, when asked. `where` names the caller in the error.
 */
export async function splitFeatures(src: FeatureSource, samples: SampleTable | undefined, splits: readonly Split[],
  o: { blocks?: number[]; where: string }): Promise<Record<Split, FeatureSet>> {
  const out: Partial<Record<Split, FeatureSet>> = {};
  for (const split of splits) {
    const given = src.features?.[split];
    if (given) { out[split] = given; continue; }
    if (!src.encoder || !src.cacheDir || !samples) {
      throw new Error(`${o.where}: no ${split} features given, and no encoder + cacheDir${samples ? '' : ' + SampleTable'} to extract them`);
    }
    out[split] = await extractFeatures(src.encoder, samples, {
      split, batchSize: src.extractBatchSize ?? 32, cacheDir: src.cacheDir, datasetKey: src.datasetKey,
      blocks: o.blocks?.length ? o.blocks : undefined,
    });
  }
  return out as Record<Split, FeatureSet>;
}

/** The FeatureSet of each requested split of a protocol's dataset (splitFeatures on `input.samples`). */
export function resolveFeatures(input: ProtocolInput, splits: readonly Split[]): Promise<Record<Split, FeatureSet>> {
  return splitFeatures(input, input.samples, splits, { where: `eval ${input.model}` });
}

export const seedsOf = (input: ProtocolInput): number[] => input.seeds ?? [0];
