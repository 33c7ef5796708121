/**
 * A notebook's session: its profile, provenance line, output folder, the shared feature cache, datasets sized by the
 * profile, the encoders of the comparison, and `compare` — run one protocol for every encoder and stack the tidy results.
 * The profile is resolved here once per run and passed down (provenance, PNG scale of saved figures, protocol inputs);
 * nothing below reads it again. Notebooks stay thin: a parameters cell, `openSession`, then one call per figure.
 *
 * @example
 * const session = await openSession('02-classification', { profile: PROFILE });
 * const cxr = await session.dataset('synthetic-cxr');
 * const r = await session.compare(cxr, (input) => evalClassification({ ...input, samples: cxr }));
 * await session.save(metricBars(summariseSeeds(r.table, ...), {...}), 'fig2a-auroc');
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import * as fs from 'fs';
import * as path from 'path';
import { getProfile, Profile, ProfileOverrides } from '../config/profiles';
import { initBackend } from '../engine/backend';
import { printProvenance, projectRoot, Provenance } from '../engine/provenance';
import { loadDataset } from '../data/load';
import type { SampleTable } from '../data/types';
import type { Encoder } from '../features/encoder';
import { extractFeatures } from '../features/extract';
import type { FeatureSet } from '../features/feature-set';
import { openEncoder } from '../features/open-encoder';
import type { ProtocolInput, ProtocolResult, Predictions } from '../eval/protocol';
import { saveFigure, SavedFigure } from '../report/save-figure';
import { resolveOutDir } from '../report/paths';
import { saveTable, SavedTable } from '../report/save-table';
import type { TableLike } from '../report/table-export';
import type { VegaLiteSpec } from '../report/vega-render';
import { discoverEncoders, SessionEncoder } from './encoders';

export interface SessionOptions {
  profile?: string;
  overrides?: ProfileOverrides;
  /** Restrict / extend the encoders (default: discoverEncoders()). */
  encoders?: SessionEncoder[];
  /** Output folder (default figures/<notebook>). */
  out?: string;
  /** Feature cache folder shared by every notebook (default <project>/.cache/features). */
  cacheDir?: string;
}

/** What `compare` hands each protocol call: the ProtocolInput fields that depend on the encoder and profile. */
export type CompareInput = Pick<ProtocolInput, 'model' | 'encoder' | 'cacheDir' | 'seeds' | 'bootstrap' | 'extractBatchSize' | 'datasetKey' | 'head'>;

export interface Comparison<X = unknown> {
  table: ColumnTable;
  predictions: Map<string, Predictions[]>;
  /** Each encoder's protocol `extras` (attention maps, segmentation predictions, …), by encoder name. */
  extras: Map<string, X>;
}

export class Session {
  readonly root = projectRoot();
  private readonly datasets = new Map<string, Promise<SampleTable>>();
  private readonly opened = new Map<string, Promise<Encoder>>();

  constructor(
    readonly notebook: string,
    readonly profile: Profile,
    readonly provenance: Provenance,
    readonly encoders: SessionEncoder[],
    readonly out: string,
    readonly cacheDir: string,
  ) {}

  /** The dataset's identity for the feature-cache key: manifest id + the generator/profile knobs that shape it. */
  datasetKey(id: string, generator: Record<string, unknown> = {}): string {
    return JSON.stringify({ id, generator, size: this.profile.data.imageSize });
  }

  /**
   * Loads a dataset once per study. Synthetic manifests are sized by the profile (n = train+val+test, image size);
   * real sets load as they are (their manifests reference ../shared/data/real/…).
   */
  dataset(id: string, generator: Record<string, unknown> = {}): Promise<SampleTable> {
    const key = JSON.stringify({ id, generator });
    let p = this.datasets.get(key);
    if (!p) {
      const d = this.profile.data;
      const synthetic = id.startsWith('synthetic');
      p = loadDataset(id, synthetic
        ? { generator: { n: d.nTrain + d.nVal + d.nTest, size: d.imageSize, splits: [d.nTrain, d.nVal, d.nTest].map((x) => x / (d.nTrain + d.nVal + d.nTest)), ...generator } }
        : {});
      this.datasets.set(key, p);
    }
    return p;
  }

  /** Opens (once) the encoder of a session entry, at the profile's image size and encoder precision. */
  encoder(e: SessionEncoder): Promise<Encoder> {
    let p = this.opened.get(e.name);
    if (!p) {
      p = openEncoder(e.spec, { inputSize: this.profile.data.imageSize, precision: this.profile.encoder.precision });
      this.opened.set(e.name, p);
    }
    return p;
  }

  /** ProtocolInput fields for one encoder: model name, encoder, shared cache, seeds and bootstrap size of the profile. */
  async inputFor(e: SessionEncoder, samples: SampleTable, generator: Record<string, unknown> = {}): Promise<CompareInput> {
    return {
      model: e.name,
      encoder: await this.encoder(e),
      cacheDir: this.cacheDir,
      seeds: this.profile.eval.seeds,
      bootstrap: { n: this.profile.eval.bootstrapN, seed: this.profile.run.seed },
      extractBatchSize: this.profile.encoder.batchSize,
      datasetKey: this.datasetKey(samples.dataset, generator),
      head: { grid: this.profile.eval.grid, epochs: this.profile.eval.epochs },
    };
  }

  /** One split's features of a compared encoder (`input`, as `compare` hands it) through the shared cache. */
  features(input: CompareInput, samples: SampleTable, split: 'train' | 'val' | 'test'): Promise<FeatureSet> {
    if (!input.encoder || !input.cacheDir) throw new Error(`${this.notebook}: features of ${input.model} on ${samples.dataset}: the input has no encoder or cache folder`);
    return extractFeatures(input.encoder, samples, { split, batchSize: input.extractBatchSize ?? 32, cacheDir: input.cacheDir, datasetKey: input.datasetKey });
  }

  /**
   * Runs `protocol` once per encoder (sequentially: features are cached, heads train on both cores) and stacks the
   * tidy tables. A failing encoder fails the call naming it — a figure never silently drops a model.
   */
  async compare<X>(
    samples: SampleTable,
    protocol: (input: CompareInput, encoder: SessionEncoder) => Promise<ProtocolResult<X>>,
    opts: { encoders?: SessionEncoder[]; generator?: Record<string, unknown> } = {},
  ): Promise<Comparison<X>> {
    const tables: ColumnTable[] = [];
    const predictions = new Map<string, Predictions[]>();
    const extras = new Map<string, X>();
    for (const e of opts.encoders ?? this.encoders) {
      const t0 = Date.now();
      let r: ProtocolResult<X>;
      try {
        r = await protocol(await this.inputFor(e, samples, opts.generator), e);
      } catch (err) {
        throw new Error(`${this.notebook}: encoder ${e.name} failed on ${samples.dataset}: ${(err as Error).message}`);
      }
      console.log(`${e.name} on ${samples.dataset}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      tables.push(r.table);
      predictions.set(e.name, r.predictions);
      extras.set(e.name, r.extras);
    }
    return { table: stack(tables), predictions, extras };
  }

  /** Saves a figure under this notebook's folder (SVG + PNG + provenance sidecar). */
  save(spec: VegaLiteSpec, name: string, meta: Record<string, unknown> = {}): Promise<SavedFigure> {
    return saveFigure(spec, name, { dir: this.out, provenance: this.provenance, scale: this.profile.figures.pngScale, meta: { notebook: this.notebook, ...meta } });
  }

  /** Saves a table (CSV + Markdown + LaTeX) under this notebook's folder. */
  saveTable(table: TableLike, name: string, caption: string, digits = 3): Promise<SavedTable> {
    return saveTable(table, name, { dir: this.out, caption, digits, provenance: this.provenance, meta: { notebook: this.notebook } });
  }

  /** Writes raw bytes (e.g. a PNG panel grid) next to the figures; returns the path. */
  saveFile(name: string, bytes: Uint8Array | string): string {
    const file = path.join(this.out, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    return file;
  }

  async close(): Promise<void> {
    for (const p of this.opened.values()) {
      const e = await p.catch(() => undefined);
      await e?.dispose();
    }
    this.opened.clear();
  }
}

export async function openSession(notebook: string, opts: SessionOptions = {}): Promise<Session> {
  const profile = getProfile(opts.profile, opts.overrides);
  const backend = await initBackend();
  const provenance = await printProvenance({ backend, profile: profile.name, workers: profile.run.workers });
  const root = projectRoot();
  // through resolveOutDir, so that RAYDINO_FIGURES_DIR moves a notebook's outputs as it moves every saved figure's
  const out = resolveOutDir(opts.out ?? path.join('figures', notebook));
  const cacheDir = path.resolve(root, opts.cacheDir ?? process.env.RAYDINO_CACHE ?? path.join('.cache', 'features'));
  fs.mkdirSync(out, { recursive: true });
  const encoders = opts.encoders ?? discoverEncoders();
  if (encoders.length === 0) throw new Error('no encoders: checkpoints/ holds no checkpoint and RAYDINO_ENCODERS is empty');
  console.log(`encoders: ${encoders.map((e) => `${e.name} (${e.kind})`).join(', ')}`);
  return new Session(notebook, profile, provenance, encoders, out, cacheDir);
}

/** Stacks result tables (same columns). */
export function stack(tables: ColumnTable[]): ColumnTable {
  if (tables.length === 0) throw new Error('stack: no tables');
  return tables.reduce((a, b) => a.concat(b));
}

export { aq };
