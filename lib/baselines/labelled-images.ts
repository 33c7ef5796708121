/**
 * Images and multi-label targets of one split, decoded once and kept in memory (grey [0, 1]): the training and
 * validation data of the supervised baseline. Works with any SampleTable (lib/data/types.ts); the default source is the
 * synthetic generator restricted to ONE population (the "single-site" label-supervised competitor).
 */
import { GreyImage, SampleTable, Split } from '../data/types';
import { SupervisedConfig } from './config';

export interface LabelledImages {
  ids: string[];
  images: GreyImage[];
  labelNames: string[];
  /** Row-major [N, C]: 1 / 0 / NaN (unknown, masked in the loss and dropped per class by the AUROC). */
  labels: Float32Array;
}

/** Decodes the rows of `split` with their label columns (`labelNames` default: every label column of the table). */
export async function labelledImages(samples: SampleTable, split: Split, labelNames: string[] = samples.labelNames,
  onProgress?: (done: number, total: number) => void): Promise<LabelledImages> {
  const unknown = labelNames.filter((l) => !samples.labelNames.includes(l));
  if (unknown.length) throw new Error(`${samples.dataset}: unknown label column(s) ${unknown.join(', ')} (has: ${samples.labelNames.join(', ')})`);
  if (!labelNames.length) throw new Error(`${samples.dataset}: no label columns to train on`);
  const t = samples.table;
  const allIds = t.array('id') as string[];
  const splits = t.array('split') as string[];
  const rows: number[] = [];
  for (let i = 0; i < allIds.length; i++) if (splits[i] === split) rows.push(i);
  if (!rows.length) throw new Error(`${samples.dataset}: no rows in split '${split}'`);
  const C = labelNames.length;
  const labels = new Float32Array(rows.length * C);
  labelNames.forEach((name, c) => {
    const col = t.array(name) as ArrayLike<number | null | undefined>;
    rows.forEach((r, i) => {
      const v = col[r];
      labels[i * C + c] = v === null || v === undefined ? NaN : Number(v);
      if (!(Number.isNaN(labels[i * C + c]) || labels[i * C + c] === 0 || labels[i * C + c] === 1)) {
        throw new Error(`${samples.dataset}: row ${r} (id ${allIds[r]}), column '${name}': label ${v} is not 1, 0 or NaN`);
      }
    });
  });
  const ids = rows.map((r) => allIds[r]);
  const images: GreyImage[] = [];
  for (const id of ids) {
    images.push(await samples.loadImage(id));
    onProgress?.(images.length, ids.length);
  }
  return { ids, images, labelNames: [...labelNames], labels };
}

/** Fraction of known labels that are positive, per class (NaN where no label is known). */
export function prevalence(d: LabelledImages): Float64Array {
  const C = d.labelNames.length;
  const pos = new Float64Array(C), known = new Float64Array(C);
  for (let i = 0; i < d.labels.length; i++) {
    const v = d.labels[i];
    if (Number.isNaN(v)) continue;
    known[i % C] += 1;
    pos[i % C] += v;
  }
  return pos.map((p, c) => (known[c] > 0 ? p / known[c] : NaN));
}

interface SyntheticModule {
  loadSynthetic(options: Record<string, unknown>): SampleTable | Promise<SampleTable>;
}

/** Generator options of a supervised config: one population, the usual patient-level splits. */
export function supervisedSyntheticOptions(c: SupervisedConfig): Record<string, unknown> {
  return {
    variant: 'cxr', n: c.data.count, size: c.data.imageSize, seed: c.data.seed,
    populations: [c.data.population], splits: c.data.splits, name: `synthetic-cxr-${c.data.population}-supervised`,
  };
}

/** The train and val splits of the config's population (generated, or read from the generator's cache). */
export async function loadSupervisedData(c: SupervisedConfig, onProgress?: (done: number, total: number) => void): Promise<{ train: LabelledImages; val: LabelledImages }> {
  // required lazily: the generator pulls in canvas/font code that tests of the trainer do not need
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { loadSynthetic } = require('../data/synthetic') as SyntheticModule;
  const table = await loadSynthetic(supervisedSyntheticOptions(c));
  const names = c.data.labels.length ? c.data.labels : table.labelNames;
  const train = await labelledImages(table, 'train', names, onProgress);
  const val = await labelledImages(table, 'val', names, onProgress);
  if (train.images.length < c.optim.batchSize) throw new Error(`supervised: ${train.images.length} training images, fewer than a batch (${c.optim.batchSize})`);
  return { train, val };
}
