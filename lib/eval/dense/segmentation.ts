/**
 * Segmentation protocol (paper Fig. 2b/2e: mDice per organ; 2c: qualitative masks): on frozen patch tokens of several
 * encoder blocks, train the UperNet-lite head (lib/adapters/segmentation) for every learning rate of the grid and every
 * seed, keep the lr with the best validation mDice per seed, and score the test split at the original mask size.
 *
 * Scoring: each class's logits are upsampled bilinearly to the mask size and thresholded at 0.5 (sigmoid); Dice per
 * image and class (lib/stats `dice`; a class empty in both prediction and truth is left out), averaged over test images
 * per class; mDice = mean over classes. Lr selection uses the same Dice at the head's output size against the
 * area-downsampled masks (≥ 0.5 coverage), so validation masks are read once.
 *
 * @example
 * const { table, extras: { examples } } = await evalSegmentation({
 *   model: 'vit_tiny', samples, features: { train, val, test }, seeds: [0], lrs: SEG_LR_GRID_QUICK, epochs: 20 });
 */
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import type { GreyImage, SampleTable } from '../../data/types';
import type { FeatureSet } from '../../features/feature-set';
import { dice } from '../../stats';
import { gatherRows } from '../../engine/rows';
import { allocSegTargets, SampleMasks, SegTargets, SegTokens, writeSampleTargets } from '../../adapters/segmentation/seg-data';
import { createRng } from '../../engine/rng';
import { predictedMasks } from '../../adapters/segmentation/predicted-masks';
import { predictSegLogits, trainSegHead } from '../../adapters/segmentation/seg-trainer';
import type { SegHead } from '../../adapters/segmentation/seg-head';
import { pyramidGeometry } from '../../adapters/segmentation/feature-pyramid';
import { SEG_LR_GRID } from '../../config/lr-grids';
import { ProtocolInput, ProtocolResult, splitFeatures } from '../protocol';
import { ResultRow, rowMaker, toResultTable } from '../result-table';
import { lrConfigName, lrGridFields, selectLearningRate } from './lr-grid';

/** Per-id masks for a list of classes. */
export interface MaskSource {
  classes: string[];
  /** Masks in `classes` order at the original image size (null = not annotated). */
  load(id: string): Promise<SampleMasks>;
  /** Optional image for qualitative figures. */
  loadImage?(id: string): Promise<GreyImage>;
}

/**
 * A MaskSource over a SampleTable's `loadMasks`, restricted to `classes` (default: all `maskClasses`). Sizes come
 * from the table's width/height columns, else from the image.
 */
export function maskSourceFromSampleTable(st: SampleTable, classes?: string[]): MaskSource {
  const all = st.maskClasses ?? [];
  if (!st.loadMasks || !all.length) throw new Error(`maskSourceFromSampleTable: dataset ${st.dataset} has no masks (maskClasses/loadMasks)`);
  const wanted = classes ?? all;
  const pick = wanted.map((c) => {
    const i = all.indexOf(c);
    if (i < 0) throw new Error(`maskSourceFromSampleTable: class ${c} is not among ${st.dataset}'s mask classes (${all.join(', ')})`);
    return i;
  });
  const ids = st.table.array('id') as string[];
  const widths = st.table.columnNames().includes('width') ? st.table.array('width') as (number | null)[] : [];
  const heights = st.table.columnNames().includes('height') ? st.table.array('height') as (number | null)[] : [];
  const row = new Map(ids.map((id, i) => [id, i]));
  return {
    classes: wanted.slice(),
    async load(id) {
      const r = row.get(id);
      if (r === undefined) throw new Error(`masks: sample ${id} is not in dataset ${st.dataset}`);
      const raw = await st.loadMasks!(id);
      if (raw.length !== all.length) throw new Error(`masks: sample ${id} has ${raw.length} masks, expected ${all.length} (${st.dataset} maskClasses)`);
      let width = widths[r] ?? null;
      let height = heights[r] ?? null;
      if (width === null || height === null) {
        const img = await st.loadImage(id);
        width = img.width;
        height = img.height;
      }
      const masks = pick.map((i) => raw[i]);
      masks.forEach((m, k) => {
        if (m && m.length !== width! * height!) {
          throw new Error(`masks: sample ${id} class ${wanted[k]} has ${m.length} pixels, image is ${width}×${height}`);
        }
      });
      return { width, height, masks };
    },
    loadImage: (id) => st.loadImage(id),
  };
}

/**
 * The token levels feeding the pyramid: `blocks` (shallow → deep) from `fs.blocks`; default every stored block in
 * increasing order, else the final patch tokens. With fewer blocks than `levels`, the deepest fills the coarser levels
 * (one block only = ViTDet's simple pyramid from the last map); with more, `levels` evenly spaced blocks are used.
 */
export function segTokensFromFeatures(fs: FeatureSet, opts: { blocks?: number[]; levels?: number } = {}): SegTokens {
  const levels = opts.levels ?? 4;
  let arrays: Float32Array[];
  if (opts.blocks?.length) {
    arrays = opts.blocks.map((b) => {
      const a = fs.blocks?.get(b);
      if (!a) throw new Error(`segTokensFromFeatures: block ${b} not in the ${fs.dataset}/${fs.split} features (have ${[...(fs.blocks?.keys() ?? [])].join(', ') || 'none'})`);
      return a;
    });
  } else if (fs.blocks?.size) {
    arrays = [...fs.blocks.keys()].sort((a, b) => a - b).map((b) => fs.blocks!.get(b)!);
  } else if (fs.patches) {
    arrays = [fs.patches];
  } else {
    throw new Error(`segTokensFromFeatures: the ${fs.dataset}/${fs.split} features have neither blocks nor patch tokens`);
  }
  if (arrays.length > levels) {
    const pickIdx = Array.from({ length: levels }, (_, i) => Math.round((i * (arrays.length - 1)) / Math.max(1, levels - 1)));
    arrays = pickIdx.map((i) => arrays[i]);
  }
  while (arrays.length < levels) arrays.push(arrays[arrays.length - 1]);
  return { n: fs.n, gridH: fs.gridH, gridW: fs.gridW, dim: fs.dim, levels: arrays };
}

export const EvalSegmentationSchema = z.object({
  ...lrGridFields({ task: 'segmentation', lrs: SEG_LR_GRID, epochs: 20, batchSize: 8 }),
  channels: z.number().int().min(1).default(64),
  scales: z.array(z.number().positive()).min(1).default([4, 2, 1, 0.5]),
  auxWeight: z.number().min(0).default(0.4),
  blocks: z.array(z.number().int()).optional(),
  /** Test samples whose masks are returned for qualitative figures (the first N test rows; see `qualitativeIds`). */
  qualitative: z.number().int().min(0).default(4),
  /** These test ids (in this order) for the qualitative figures instead of the first `qualitative` rows. */
  qualitativeIds: z.array(z.string().min(1)).optional(),
  /**
   * Cap on training images (a seeded random subset, seed `subsetSeed`): tokens of 4 blocks and targets at ×4 the grid
   * cost ≈ N·T·(4D + 16K) floats/bytes, so the full profile's 8000 images at 224 px do not fit; the paper's
   * segmentation sets have a few hundred to a few thousand images.
   */
  maxTrain: z.number().int().min(1).optional(),
  subsetSeed: z.number().int().default(0),
  /** Test samples scored per chunk (bounds memory of logits at the output size). */
  chunk: z.number().int().min(1).default(64),
}).strict();
export type EvalSegmentationConfig = z.input<typeof EvalSegmentationSchema>;

/**
 * Blocks for a 4-level pyramid: 4 evenly spaced entries of the encoder's `blocks` (e.g. 2, 5, 8, 11 of a 12-block
 * ViT when it offers all), all of them when it offers fewer, none (final tokens only) when it offers none.
 */
export function defaultPyramidBlocks(available: readonly number[] | undefined, levels = 4): number[] {
  const a = [...new Set(available ?? [])].sort((x, y) => x - y);
  if (a.length <= levels) return a;
  // evenly spaced, ending at the deepest: the i-th of `levels` equal segments' last block
  return Array.from({ length: levels }, (_, i) => a[Math.round(((i + 1) * a.length) / levels) - 1]);
}

/**
 * A further test set scored by the same trained heads (e.g. train on phantoms, test on real X-rays): its features must
 * have the training features' grid, width and blocks, and its masks the same classes (same head outputs).
 */
export interface ExtraTestSet {
  /** The `dataset` column of its rows. */
  dataset: string;
  features: FeatureSet;
  masks: SampleTable | MaskSource;
  /** Qualitative masks kept: the first N rows (default 0) or these ids. */
  qualitative?: number;
  qualitativeIds?: string[];
}

/**
 * The protocol's input: ProtocolInput (`samples` = the dataset: its masks, the `dataset` column, features extracted from
 * it when not given; `head`, `labels`, `bootstrap` ignored) & the lr grid and head fields of EvalSegmentationSchema.
 */
export type EvalSegmentationInput = ProtocolInput & EvalSegmentationConfig & {
  /** Masks to learn instead of `samples`' own (maskSourceFromSampleTable(samples, classes)), e.g. merged classes. */
  masks?: MaskSource;
  /** The classes of `samples`' masks to learn (default all); not with `masks`, which defines its own. */
  classes?: string[];
  /** Further test sets scored with the heads trained and selected on this dataset (rows: split 'test', their dataset). */
  extraTests?: ExtraTestSet[];
  onProgress?: (message: string) => void;
};

/** One qualitative example: image | predicted | truth, masks at the original size, in `classes` order. */
export interface SegPrediction {
  id: string;
  seed: number;
  width: number;
  height: number;
  classes: string[];
  predicted: Uint8Array[];
  truth: (Uint8Array | null)[];
  image?: GreyImage;
}

/**
 * What only segmentation returns. Its ResultTable: group (class | 'all'), metric ('dice' | 'mDice'), config ('lr=…');
 * `predictions` is empty (the masks are here).
 */
export interface SegmentationExtras {
  /** Lr grid per seed: seed, lr, val_mDice (output size), train_loss (last epoch), seconds, selected. */
  selection: ColumnTable;
  /** Qualitative masks of the test split. */
  examples: SegPrediction[];
  /** Qualitative masks of each extra test set, by its dataset name. */
  extraExamples: Record<string, SegPrediction[]>;
  config: z.output<typeof EvalSegmentationSchema> & { classes: string[]; outSize: [number, number] };
}
export type EvalSegmentationResult = ProtocolResult<SegmentationExtras>;

function isSampleTable(x: SampleTable | MaskSource): x is SampleTable {
  return (x as SampleTable).table !== undefined;
}

/** Targets of `ids`, loading one sample's masks at a time (full-size masks are never all in memory). */
export async function loadSegTargets(src: MaskSource, ids: string[], outSize: [number, number], gridSize: [number, number]): Promise<SegTargets> {
  if (!ids.length) throw new Error('loadSegTargets: no samples');
  const y = allocSegTargets(ids.length, src.classes.length, outSize, gridSize);
  for (let i = 0; i < ids.length; i++) writeSampleTargets(y, i, await src.load(ids[i]), gridSize, `sample ${ids[i]}`);
  return y;
}

/** Per-class running sums of image Dice (the selection metric's accumulator). */
export interface DiceSums { sum: Float64Array; cnt: Float64Array }

/**
 * Adds, for samples [start, start+n) of `y`, the Dice between logits > 0 (rows of `logits`, [n, P0, K]) and coverage
 * ≥ 0.5, at the head output size; unannotated or doubly-empty pairs are left out.
 */
export function accumulateOutputDice(logits: Float32Array, y: SegTargets, start: number, n: number, acc: DiceSums): void {
  const p0 = y.outH * y.outW;
  const k = y.classes;
  for (let i = 0; i < n; i++) {
    const row = start + i;
    for (let c = 0; c < k; c++) {
      if (!y.weight[row * k + c]) continue;
      let inter = 0;
      let a = 0;
      let b = 0;
      for (let p = 0; p < p0; p++) {
        const pr = logits[(i * p0 + p) * k + c] > 0 ? 1 : 0;
        const tr = y.target[(row * p0 + p) * k + c] >= 128 ? 1 : 0; // byte coverage: ≥ 127.5 ⇔ ≥ 0.5
        inter += pr * tr; a += pr; b += tr;
      }
      if (a + b > 0) { acc.sum[c] += (2 * inter) / (a + b); acc.cnt[c] += 1; }
    }
  }
}

/** Mean over classes of the per-class mean Dice (classes without any scored image left out; NaN if none). */
export function meanOfClassMeans(acc: DiceSums): { perClass: number[]; mean: number } {
  const perClass = Array.from(acc.sum, (s, c) => (acc.cnt[c] ? s / acc.cnt[c] : NaN));
  const kept = perClass.filter((v) => !Number.isNaN(v));
  return { perClass, mean: kept.length ? kept.reduce((s, v) => s + v, 0) / kept.length : NaN };
}

/** Validation mDice at the head output size (the lr-selection metric), predicted in chunks of `chunk` samples. */
export function validationMDice(head: SegHead, x: SegTokens, y: SegTargets, chunk = 64): number {
  const acc = { sum: new Float64Array(y.classes), cnt: new Float64Array(y.classes) };
  for (let s0 = 0; s0 < x.n; s0 += chunk) {
    const n = Math.min(chunk, x.n - s0);
    accumulateOutputDice(predictSegLogits(head, sliceTokens(x, s0, n)), y, s0, n, acc);
  }
  return meanOfClassMeans(acc).mean;
}

/** Rows [s0, s0+n) of every level (views, no copy). */
export function sliceTokens(x: SegTokens, s0: number, n: number): SegTokens {
  const per = x.gridH * x.gridW * x.dim;
  return { ...x, n, levels: x.levels.map((l) => l.subarray(s0 * per, (s0 + n) * per)) };
}

/** Rows `rows` of every level (copies; levels shared by reference stay shared). */
export function selectTokenRows(x: SegTokens, rows: ArrayLike<number>): SegTokens {
  const per = x.gridH * x.gridW * x.dim;
  const copies = new Map<Float32Array, Float32Array>();
  const levels = x.levels.map((l) => {
    let c = copies.get(l);
    if (!c) { c = gatherRows(l, per, rows); copies.set(l, c); }
    return c;
  });
  return { ...x, n: rows.length, levels };
}

/** Runs the protocol; see the module doc. */
export async function evalSegmentation(input: EvalSegmentationInput): Promise<EvalSegmentationResult> {
  const {
    samples, features: given, encoder, cacheDir, extractBatchSize, datasetKey, head: _head, labels: _labels, bootstrap: _bootstrap,
    masks, classes, extraTests, onProgress, ...rest
  } = input;
  const parsed = EvalSegmentationSchema.safeParse(rest);
  if (!parsed.success) throw new Error(`evalSegmentation: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const cfg = parsed.data;
  const log = onProgress ?? (() => undefined);
  const source = masks ?? maskSourceFromSampleTable(samples, classes);
  if (classes && masks && classes.join() !== source.classes.join()) {
    throw new Error('evalSegmentation: `classes` only selects classes of `samples`; a MaskSource given as `masks` defines its own');
  }
  const blocks = cfg.blocks ?? (encoder ? defaultPyramidBlocks(encoder.blocks, cfg.scales.length) : undefined);
  const features = await splitFeatures({ features: given, encoder, cacheDir, extractBatchSize, datasetKey },
    samples, ['train', 'val', 'test'], { blocks, where: 'evalSegmentation' });
  const dataset = samples.dataset;
  const levels = cfg.scales.length;
  let trainIds = features.train.ids;
  let trainTok = segTokensFromFeatures(features.train, { blocks: cfg.blocks, levels });
  if (cfg.maxTrain !== undefined && cfg.maxTrain < features.train.n) {
    const rows = Array.from(createRng(cfg.subsetSeed).fork('seg-train-subset').permutation(features.train.n).subarray(0, cfg.maxTrain)).sort((a, b) => a - b);
    trainTok = selectTokenRows(trainTok, rows);
    trainIds = rows.map((r) => features.train.ids[r]);
  }
  const tok = {
    train: trainTok,
    val: segTokensFromFeatures(features.val, { blocks: cfg.blocks, levels }),
    test: segTokensFromFeatures(features.test, { blocks: cfg.blocks, levels }),
  };
  for (const s of ['val', 'test'] as const) {
    const t = tok[s];
    if (t.gridH !== tok.train.gridH || t.gridW !== tok.train.gridW || t.dim !== tok.train.dim) {
      throw new Error(`evalSegmentation: ${s} features are ${t.gridH}×${t.gridW}×${t.dim}, train ${tok.train.gridH}×${tok.train.gridW}×${tok.train.dim}`);
    }
  }
  // every test set is scored by the same selected heads (one per seed); checked here, before any training
  const sets = [
    { dataset, fs: features.test, source, qualitative: cfg.qualitative, qualitativeIds: cfg.qualitativeIds },
    ...(extraTests ?? []).map((e) => ({
      dataset: e.dataset, fs: e.features, source: isSampleTable(e.masks) ? maskSourceFromSampleTable(e.masks, source.classes) : e.masks,
      qualitative: e.qualitative ?? 0, qualitativeIds: e.qualitativeIds,
    })),
  ].map((set) => {
    if (set.source.classes.join() !== source.classes.join()) {
      throw new Error(`evalSegmentation: test set ${set.dataset} has classes ${set.source.classes.join(', ')}; the heads predict ${source.classes.join(', ')}`);
    }
    const t = segTokensFromFeatures(set.fs, { blocks: cfg.blocks, levels });
    if (t.gridH !== tok.train.gridH || t.gridW !== tok.train.gridW || t.dim !== tok.train.dim) {
      throw new Error(`evalSegmentation: test set ${set.dataset} features are ${t.gridH}×${t.gridW}×${t.dim}, train ${tok.train.gridH}×${tok.train.gridW}×${tok.train.dim}`);
    }
    const have = new Set(set.fs.ids);
    const missing = (set.qualitativeIds ?? []).filter((id) => !have.has(id));
    if (missing.length) throw new Error(`evalSegmentation: qualitativeIds ${missing.join(', ')} are not ${set.dataset} test samples`);
    return { ...set, tok: t };
  });
  const geom = pyramidGeometry(tok.train.gridH, tok.train.gridW, cfg.scales);
  const outSize = geom.sizes[0];
  const grid: [number, number] = [tok.train.gridH, tok.train.gridW];
  log(`segmentation: loading masks (${trainIds.length} train, ${features.val.n} val)`);
  const yTrain = await loadSegTargets(source, trainIds, outSize, grid);
  const yVal = await loadSegTargets(source, features.val.ids, outSize, grid);

  const { best, selection } = selectLearningRate({
    seeds: cfg.seeds, lrs: cfg.lrs, metric: 'mDice', protocol: 'segmentation', log,
    train: (lr, seed) => trainSegHead(tok.train, yTrain, {
      lr, seed, epochs: cfg.epochs, batchSize: cfg.batchSize, channels: cfg.channels, scales: cfg.scales,
      weightDecay: cfg.weightDecay, warmupFrac: cfg.warmupFrac, auxWeight: cfg.auxWeight,
    }),
    score: (head) => validationMDice(head, tok.val, yVal, cfg.chunk),
  });

  const rows: ResultRow[] = [];
  const scored: SegPrediction[][] = [];
  try {
    for (const set of sets) {
      const r = await scoreTestSet(best, set.tok, set.fs.ids, set.source, outSize, cfg.chunk, set.qualitativeIds ?? set.qualitative, (m) => log(`segmentation (${set.dataset}): ${m}`));
      scored.push(r.predictions);
      const row = rowMaker({ model: cfg.model, task: cfg.task, dataset: set.dataset });
      best.forEach((b, si) => {
        const { perClass, mean } = meanOfClassMeans(r.sums[si]);
        const base = { split: 'test', seed: b.seed, config: lrConfigName(b.lr) };
        perClass.forEach((v, c) => rows.push(row({ ...base, group: source.classes[c], metric: 'dice', value: v })));
        rows.push(row({ ...base, group: 'all', metric: 'mDice', value: mean }));
      });
    }
  } finally {
    best.forEach((b) => b.head.dispose());
  }
  for (const [i, set] of sets.entries()) {
    if (set.source.loadImage) for (const p of scored[i]) p.image = await set.source.loadImage(p.id);
  }
  return {
    table: toResultTable(rows),
    predictions: [],
    extras: {
      selection,
      examples: scored[0],
      extraExamples: Object.fromEntries(sets.slice(1).map((set, i) => [set.dataset, scored[i + 1]])),
      config: { ...cfg, classes: source.classes.slice(), outSize },
    },
  };
}

/**
 * Test Dice of each selected head on one test set, streamed in chunks so logits at the output size never exist for the
 * whole split at once; keeps the qualitative masks of the first head (seed) for the first N rows or the given ids.
 */
async function scoreTestSet(best: { seed: number; head: SegHead }[], tok: SegTokens, ids: string[], source: MaskSource,
  outSize: [number, number], chunk: number, qualitative: number | string[], log: (m: string) => void,
): Promise<{ sums: DiceSums[]; predictions: SegPrediction[] }> {
  const k = source.classes.length;
  const [oh, ow] = outSize;
  const wanted = Array.isArray(qualitative) ? qualitative : null;
  const keep = new Map<string, SegPrediction>();
  const sums = best.map(() => ({ sum: new Float64Array(k), cnt: new Float64Array(k) }));
  for (let s0 = 0; s0 < tok.n; s0 += chunk) {
    const n = Math.min(chunk, tok.n - s0);
    const chunkTok = sliceTokens(tok, s0, n);
    const logits = best.map((b) => predictSegLogits(b.head, chunkTok));
    for (let i = 0; i < n; i++) {
      const id = ids[s0 + i];
      const truth = await source.load(id);
      best.forEach((b, si) => {
        const pred = predictedMasks(logits[si], oh, ow, k, truth.width, truth.height, i * oh * ow * k);
        truth.masks.forEach((m, c) => {
          if (!m) return;
          const d = dice(pred[c], m);
          if (!Number.isNaN(d)) { sums[si].sum[c] += d; sums[si].cnt[c] += 1; }
        });
        const wantIt = wanted ? wanted.includes(id) : keep.size < (qualitative as number);
        if (si === 0 && wantIt) {
          keep.set(id, { id, seed: b.seed, width: truth.width, height: truth.height, classes: source.classes.slice(), predicted: pred, truth: truth.masks });
        }
      });
    }
    log(`scored ${Math.min(s0 + chunk, tok.n)}/${tok.n} test samples`);
  }
  const predictions = wanted ? wanted.map((id) => keep.get(id)!) : [...keep.values()];
  return { sums, predictions };
}

/**
 * The floors of a segmentation figure: the test Dice of a constant prediction — `fill` 1 = every pixel of the image is
 * the class ("whole image as lung"), 0 = all background — scored exactly as the heads are (scoreTestSet: Dice per image
 * and class at the mask size, doubly-empty and unannotated pairs left out, mean over images). Per class, in
 * `source.classes` order (NaN where no image counts).
 */
export async function constantMaskDice(source: MaskSource, ids: readonly string[], fill: 0 | 1): Promise<number[]> {
  if (!ids.length) throw new Error('constantMaskDice: no samples');
  const k = source.classes.length;
  const acc = { sum: new Float64Array(k), cnt: new Float64Array(k) };
  for (const id of ids) {
    const truth = await source.load(id);
    const pred = new Uint8Array(truth.width * truth.height).fill(fill);
    truth.masks.forEach((m, c) => {
      if (!m) return;
      if (m.length !== pred.length) throw new Error(`constantMaskDice: sample ${id} class ${source.classes[c]} mask has ${m.length} pixels, expected ${truth.width}×${truth.height}`);
      const d = dice(pred, m);
      if (!Number.isNaN(d)) { acc.sum[c] += d; acc.cnt[c] += 1; }
    });
  }
  return meanOfClassMeans(acc).perClass;
}

