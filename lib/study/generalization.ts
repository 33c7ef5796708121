/**
 * Notebook 04 (generalization) glue: the paper's Fig 4a / S4 (train on one population, test on another), Fig 4b / S5
 * (segmentation heads trained on synthetic phantom lungs, tested on real X-ray lung masks — our analogue of the paper's
 * synthetic CT-projection → real X-ray transfer), Fig 3d / S2 (3-class COVID / pneumonia / normal, tested in domain and on
 * the real covid-chestxray set) and Fig 3e / S3 (Cobb angles). Every model runs through lib/eval protocols; this file only
 * wires datasets together (class order, lung classes, cross-dataset feature sets) and turns result tables into the rows
 * the figure builders draw.
 *
 * @example
 * const cxr = await study.dataset('synthetic-cxr', populationMix());
 * const gen = await study.compare(cxr, (input) => crossPopulation({ ...input, samples: cxr }), { generator: populationMix() });
 * const pts = domainPoints(gen.table);           // Fig S4 rows: model, seed, train, in_domain, out_of_domain
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { GreyImage, SampleTable, Split } from '../data/types';
import type { FeatureSet } from '../features/feature-set';
import type { EvalInput, EvalResult, Predictions } from '../eval/eval-input';
import { evalGeneralization } from '../eval/generalization';
import { evalOutOfDomain3Class } from '../eval/out-of-domain';
import {
  constantMaskDice, defaultPyramidBlocks, evalSegmentation, EvalSegmentationResult, MaskSource, resolveSplitFeatures, SegPrediction,
} from '../eval/segmentation';
import { FLOOR_PREFIX } from '../figures/common';
import { evalRegression, EvalRegressionResult, RegAttention } from '../eval/regression';
import { extractFeatures } from '../features/extract';
import { selectIds } from '../features/feature-set';
import { rocCurve } from '../stats/roc-curve';
import { verdicts } from '../stats/verdict';
import { attentionToImage } from '../analysis/attention-image';
import type { Panel } from '../plots/panel-grid';
import type { Profile } from '../config/profiles';
import type { SessionEncoder } from '../session/encoders';

/** The two source populations of Fig 4a (lib/data/synthetic/populations.ts: popA outpatient PA, popB ICU/portable AP). */
export const TRANSFER_POPULATIONS: readonly string[] = ['popA', 'popB'];

/**
 * Generator override giving synthetic-cxr an equal mix of `pops` (the manifest default is popA only). Pass the same object
 * to `study.dataset` and `study.compare(…, { generator })` so the feature-cache key names the mix.
 */
export function populationMix(pops: readonly string[] = TRANSFER_POPULATIONS): { populations: string[] } {
  if (pops.length < 2) throw new Error(`populationMix: need two or more populations, got [${pops.join(', ')}]`);
  return { populations: [...pops] };
}

// ---------------------------------------------------------------------------------------------------------------------
// Fig 4a / S4: cross-population classification

export interface CrossPopulationInput extends EvalInput {
  /** Source populations; each is trained on in turn and every one is tested (default TRANSFER_POPULATIONS). */
  populations?: readonly string[];
}

/**
 * evalGeneralization once per source population (train + select on its train / val rows, test on every population's
 * test rows), stacked; `task` = 'train <pop>' names the source. Labels default to transferLabels (those with enough
 * positives in every population and split). Rows with group = <test pop> and metric 'auroc' are
 * the macro AUROC of Fig 4a; groups '<pop>/<class>' the per-class AUROC.
 */
export async function crossPopulation(input: CrossPopulationInput): Promise<EvalResult> {
  const pops = input.populations ?? TRANSFER_POPULATIONS;
  const { populations: _p, ...rest } = input;
  const labels = input.labels ?? transferLabels(input.samples, pops);
  const features = input.features ?? await pyramidFeatures(input, input.samples);
  const tables: ColumnTable[] = [];
  const predictions: Predictions[] = [];
  for (const pop of pops) {
    const r = await evalGeneralization({ ...rest, features, labels, trainPopulation: pop, testPopulations: [...pops], task: `train ${pop}` });
    tables.push(r.table);
    predictions.push(...r.predictions);
  }
  return { table: tables.reduce((a, b) => a.concat(b)), predictions };
}

/** Default for transferLabels: a label enters the macro AUROC only with this many positives per population and split. */
export const MIN_TRANSFER_POSITIVES = 5;

/**
 * The labels a cross-population macro AUROC can be computed on: those with at least `minPositives` known positives in
 * every population's train, val AND test rows (a label absent from a population's test set has no AUROC there, and a
 * handful of positives gives a coin-flip value that swamps the macro mean). Throws when none qualifies.
 */
export function transferLabels(samples: SampleTable, pops: readonly string[] = TRANSFER_POPULATIONS, minPositives = MIN_TRANSFER_POSITIVES): string[] {
  const popCol = samples.table.array('population') as ArrayLike<string>;
  const splitCol = samples.table.array('split') as ArrayLike<string>;
  const keep = samples.labelNames.filter((name) => {
    const y = samples.table.array(name) as ArrayLike<number>;
    const count = new Map<string, number>();
    for (let i = 0; i < y.length; i++) if (y[i] === 1) count.set(`${popCol[i]}|${splitCol[i]}`, (count.get(`${popCol[i]}|${splitCol[i]}`) ?? 0) + 1);
    return pops.every((p) => ['train', 'val', 'test'].every((s) => (count.get(`${p}|${s}`) ?? 0) >= minPositives));
  });
  if (!keep.length) throw new Error(`transferLabels: no label has ${minPositives} positives in every split of ${pops.join(', ')} (${samples.dataset})`);
  return keep;
}

/** Fig 4a's x order: per source population, in-domain first, then the others ('popA → popA', 'popA → popB', …). */
export function transferPairs(pops: readonly string[] = TRANSFER_POPULATIONS): string[] {
  return pops.flatMap((a) => [a, ...pops.filter((b) => b !== a)].map((b) => `${a} → ${b}`));
}

/** `task` 'train popA' → 'popA'. */
export function sourceOf(task: string): string {
  const m = /^train (.+)$/.exec(task);
  if (!m) throw new Error(`sourceOf: task '${task}' is not 'train <population>'`);
  return m[1];
}

/**
 * Fig 4a rows: model, train, test, transfer ('in-domain' | 'out-of-domain'), seed, value — the macro test AUROC of
 * each seed (feed to summariseSeeds with by = ['model', 'train', 'test']).
 */
export function transferRows(table: ColumnTable): ColumnTable {
  const rows = (table.objects() as Record<string, any>[]).filter((r) => r.split === 'test' && r.metric === 'auroc' && !String(r.group).includes('/'));
  if (!rows.length) throw new Error('transferRows: no test macro AUROC rows (run crossPopulation first)');
  return aq.from(rows.map((r) => {
    const train = sourceOf(r.task);
    return {
      model: r.model, train, test: r.group, pair: `${train} → ${r.group}`,
      transfer: train === r.group ? 'in-domain' : 'out-of-domain', seed: r.seed, metric: 'auroc', value: r.value,
    };
  }));
}

/**
 * Fig S4 points: per model, seed and source population, the in-domain macro AUROC (test on the source) against the
 * mean out-of-domain macro AUROC (test on the other populations).
 */
export function domainPoints(table: ColumnTable): Record<string, unknown>[] {
  const rows = transferRows(table).objects() as Record<string, any>[];
  const key = (r: Record<string, any>) => `${r.model}\u0000${r.seed}\u0000${r.train}`;
  const acc = new Map<string, { model: string; seed: number; train: string; inD: number; out: number[] }>();
  for (const r of rows) {
    const k = key(r);
    if (!acc.has(k)) acc.set(k, { model: r.model, seed: r.seed, train: r.train, inD: NaN, out: [] });
    const a = acc.get(k)!;
    if (r.transfer === 'in-domain') a.inD = r.value; else a.out.push(r.value);
  }
  return [...acc.values()].map((a) => ({
    model: a.model, seed: a.seed, train: a.train, in_domain: a.inD,
    out_of_domain: a.out.length ? a.out.reduce((s, v) => s + v, 0) / a.out.length : NaN,
  }));
}

export type TransferSummary = {
  model: string;
  kind: string;
  in_domain: number;
  out_of_domain: number;
  /** in_domain − out_of_domain: what the shift costs (smaller = transfers better). */
  drop: number;
  n: number;
};

/** Per model, means over seeds and source populations of the in-domain and out-of-domain macro AUROC. */
export function transferSummary(table: ColumnTable, encoders: readonly Pick<SessionEncoder, 'name' | 'kind'>[]): TransferSummary[] {
  const pts = domainPoints(table);
  const kinds = new Map(encoders.map((e) => [e.name, e.kind]));
  const models = [...new Set(pts.map((p) => p.model as string))];
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  return models.map((m) => {
    const mine = pts.filter((p) => p.model === m);
    const inD = mean(mine.map((p) => p.in_domain as number));
    const out = mean(mine.map((p) => p.out_of_domain as number));
    return { model: m, kind: kinds.get(m) ?? 'unknown', in_domain: inD, out_of_domain: out, drop: inD - out, n: mine.length };
  });
}

/**
 * The paper's claim in words, computed from the numbers: does the best SSL encoder transfer to a new population better
 * than the label-supervised baseline (higher out-of-domain AUROC, and a smaller in → out drop)? Says plainly when an
 * encoder kind is missing or when the answer is no.
 */
export function transferVerdict(summary: readonly TransferSummary[], points?: readonly Record<string, unknown>[]): string {
  const f = (x: number) => x.toFixed(3);
  const ssl = summary.filter((s) => s.kind === 'ssl').sort((a, b) => b.out_of_domain - a.out_of_domain);
  const sup = summary.filter((s) => s.kind === 'supervised').sort((a, b) => b.out_of_domain - a.out_of_domain);
  const lines: string[] = [];
  for (const s of summary) {
    lines.push(`${s.model} (${s.kind}): in-domain ${f(s.in_domain)}, out-of-domain ${f(s.out_of_domain)}, drop ${f(s.drop)} (${s.n} seed × source runs)`);
  }
  if (!ssl.length) lines.push('No SSL checkpoint in this run: the SSL vs supervised comparison cannot be made here.');
  if (!sup.length) lines.push('No label-supervised baseline in this run (checkpoints/supervised-*): the comparison cannot be made here.');
  if (ssl.length && sup.length) {
    const a = ssl[0], b = sup[0];
    const better = a.out_of_domain > b.out_of_domain;
    const smallerDrop = a.drop < b.drop;
    lines.push(`Best SSL encoder ${a.model} vs supervised ${b.model}: out-of-domain AUROC ${f(a.out_of_domain)} vs ${f(b.out_of_domain)} `
      + `(${better ? 'SSL higher' : 'SSL NOT higher'}); in → out drop ${f(a.drop)} vs ${f(b.drop)} (${smallerDrop ? 'SSL smaller' : 'SSL NOT smaller'}).`);
    // the claim is the t-test's over runs (seed × source) on out-of-domain AUROC (lib/stats/verdict), never the means'
    const ood = (m: string) => (points ?? []).filter((p) => p.model === m).map((p) => p.out_of_domain as number).filter(Number.isFinite);
    const xa = ood(a.model), xb = ood(b.model);
    if (!points || xa.length < 2 || xb.length < 2) {
      lines.push('No per-run points (pass domainPoints, ≥ 2 runs each): the means alone do not decide whether SSL transfers better.');
    } else {
      const [v] = verdicts([{ a: a.model, b: b.model, samplesA: xa, samplesB: xb }]);
      lines.push(`Two-sided t-test over runs (${xa.length} vs ${xb.length}) on out-of-domain AUROC: ${v.line}.`);
      lines.push(v.better === a.model
        ? (smallerDrop
          ? 'Here SSL transfers to the new population better than the label-supervised baseline, as in the paper.'
          : 'Here SSL scores significantly higher out of domain, but loses more than the supervised baseline when the population changes: the paper\'s shape holds only in part.')
        : v.better === b.model
          ? 'Here SSL does NOT transfer better than the label-supervised baseline: the supervised baseline is significantly higher out of domain.'
          : 'No significant difference out of domain between SSL and the label-supervised baseline on this run: the paper\'s claim is not shown here.');
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------------
// Fig 4b / S5: lungs, synthetic phantoms → real X-rays

/** The one class both sides share: the lung fields (left + right). */
export const LUNG_CLASS = 'lungs';

/**
 * Mask-class names a dataset uses for the lungs: a single 'lungs' class (covid-chestxray's V7 masks) or the left/right
 * pair of the phantoms ('right_lung', 'left_lung'); the union of all of them is the lung field.
 */
export function lungClassesOf(st: SampleTable): string[] {
  const cls = st.maskClasses ?? [];
  const hit = cls.filter((c) => /^lungs?$/i.test(c) || /^(left|right)[_ ]lung$/i.test(c));
  if (!hit.length) throw new Error(`lungClassesOf: dataset ${st.dataset} has no lung mask class (mask classes: ${cls.join(', ') || 'none'})`);
  return hit;
}

/** Pixel-wise union of masks (null entries skipped); null when every entry is null (not annotated). */
export function unionMasks(masks: readonly (Uint8Array | null)[]): Uint8Array | null {
  const present = masks.filter((m): m is Uint8Array => !!m);
  if (!present.length) return null;
  const n = present[0].length;
  const out = new Uint8Array(n);
  for (const m of present) {
    if (m.length !== n) throw new Error(`unionMasks: masks of ${m.length} and ${n} pixels`);
    for (let i = 0; i < n; i++) if (m[i]) out[i] = 1;
  }
  return out;
}

/**
 * One MaskSource with the single class 'lungs' over several datasets: each sample's lung classes (lungClassesOf) merged
 * into one mask. Ids must be unique across the datasets.
 */
export function lungMaskSource(datasets: readonly SampleTable[]): MaskSource {
  const owner = new Map<string, { st: SampleTable; pick: number[]; row: number }>();
  for (const st of datasets) {
    if (!st.loadMasks) throw new Error(`lungMaskSource: dataset ${st.dataset} has no masks`);
    const all = st.maskClasses ?? [];
    const pick = lungClassesOf(st).map((c) => all.indexOf(c));
    const ids = st.table.array('id') as string[];
    ids.forEach((id, row) => {
      if (owner.has(id)) throw new Error(`lungMaskSource: sample id ${id} is in both ${owner.get(id)!.st.dataset} and ${st.dataset}`);
      owner.set(id, { st, pick, row });
    });
  }
  const of = (id: string) => {
    const o = owner.get(id);
    if (!o) throw new Error(`lungMaskSource: sample ${id} is in none of ${datasets.map((d) => d.dataset).join(', ')}`);
    return o;
  };
  return {
    classes: [LUNG_CLASS],
    async load(id) {
      const o = of(id);
      const raw = await o.st.loadMasks!(id);
      const mask = unionMasks(o.pick.map((i) => raw[i] ?? null));
      let width = o.st.table.get('width', o.row) as number | null;
      let height = o.st.table.get('height', o.row) as number | null;
      if (width == null || height == null || (mask && mask.length !== width * height)) {
        const img = await o.st.loadImage(id);
        width = img.width; height = img.height;
      }
      if (mask && mask.length !== width * height) throw new Error(`lungMaskSource: ${o.st.dataset} sample ${id} mask has ${mask.length} pixels, image is ${width}×${height}`);
      return { width, height, masks: [mask] };
    },
    loadImage: (id: string): Promise<GreyImage> => of(id).st.loadImage(id),
  };
}

/** Ids of `st` (optionally one split) that have a lung mask. */
export async function idsWithLungMask(st: SampleTable, split?: Split): Promise<string[]> {
  const all = st.maskClasses ?? [];
  const pick = lungClassesOf(st).map((c) => all.indexOf(c));
  const ids = st.table.array('id') as string[];
  const splits = st.table.array('split') as string[];
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (split && splits[i] !== split) continue;
    // a `has_lung_mask` column (covid-chestxray) spares decoding every mask
    if (st.table.columnNames().includes('has_lung_mask')) {
      if (st.table.get('has_lung_mask', i)) out.push(ids[i]);
      continue;
    }
    const raw = await st.loadMasks!(ids[i]);
    if (pick.some((k) => raw[k])) out.push(ids[i]);
  }
  return out;
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

/** The encoder blocks a 4-level segmentation pyramid reads (lib/eval defaultPyramidBlocks); [] without an encoder. */
export function pyramidBlocks(input: Pick<EvalInput, 'encoder'>): number[] {
  return input.encoder ? defaultPyramidBlocks(input.encoder.blocks, 4) : [];
}

/**
 * train / val / test features of a dataset WITH the pyramid blocks, through the cache: the same entry then serves the
 * classification protocols (CLS + patches) and segmentation (blocks), so each image is embedded once per encoder.
 */
export async function pyramidFeatures(input: Pick<EvalInput, 'model' | 'encoder' | 'cacheDir' | 'extractBatchSize' | 'datasetKey'>, samples: SampleTable): Promise<Record<Split, FeatureSet>> {
  const blocks = pyramidBlocks(input);
  return resolveSplitFeatures({ encoder: input.encoder, cacheDir: input.cacheDir, extractBatchSize: input.extractBatchSize, datasetKey: input.datasetKey },
    samples, blocks.length ? blocks : undefined, `features of ${input.model}`);
}

/** Every row of a (real) dataset, all splits, with the pyramid blocks, through the cache. */
export async function allRowFeatures(input: Pick<EvalInput, 'model' | 'encoder' | 'cacheDir' | 'extractBatchSize'>, samples: SampleTable): Promise<FeatureSet> {
  if (!input.encoder || !input.cacheDir) throw new Error(`${input.model}: needs encoder + cacheDir for the ${samples.dataset} features`);
  const blocks = pyramidBlocks(input);
  return extractFeatures(input.encoder, samples, {
    batchSize: input.extractBatchSize ?? 32, cacheDir: input.cacheDir, blocks: blocks.length ? blocks : undefined,
  });
}

export interface LungTransferInput extends Pick<EvalInput, 'model' | 'encoder' | 'cacheDir' | 'extractBatchSize' | 'datasetKey' | 'seeds'> {
  /** Phantoms with left/right lung masks: train, val and the in-domain test split. */
  source: SampleTable;
  /** Real X-rays with lung masks: every annotated image is an out-of-domain test image (none is trained on). */
  target: SampleTable;
  /** The profile's segmentation section (lrs, epochs, maxTrain). */
  segmentation: Profile['segmentation'];
  /** Qualitative target examples returned (default 4). */
  qualitative?: number;
  onProgress?: (message: string) => void;
}

export interface LungTransferResult extends EvalResult {
  /** Qualitative out-of-domain examples (real image, predicted lungs, truth), masks in the 'lungs' class only. */
  examples: SegPrediction[];
  /** Learning-rate selection per seed (validation mDice on the source). */
  selection: ColumnTable;
}

/**
 * Fig 4b: one lung segmentation head per seed (evalSegmentation over the merged `lungs` mask, lungMaskSource), trained
 * and lr-selected on the phantoms, then scored by the same heads on the phantoms' test split (in-domain) and on every
 * annotated real image (out-of-domain, evalSegmentation's `extraTests`). Rows: metric 'dice', group 'in-domain' |
 * 'out-of-domain', dataset = the test set.
 */
export async function lungTransfer(input: LungTransferInput): Promise<LungTransferResult> {
  const feats = await pyramidFeatures(input, input.source);
  const realIds = await idsWithLungMask(input.target);
  if (!realIds.length) throw new Error(`lungTransfer: no ${input.target.dataset} image has a lung mask`);
  const real = selectIds(await allRowFeatures(input, input.target), realIds, 'test');
  const lungs = lungMaskSource([input.source, input.target]);
  const s = input.segmentation;
  const r = await evalSegmentation({
    model: input.model, task: 'lungs', dataset: input.source.dataset, seeds: input.seeds ?? [0],
    lrs: s.lrs, epochs: s.epochs, maxTrain: s.maxTrain, qualitative: 0, masks: lungs, features: feats,
    extraTests: [{ dataset: input.target.dataset, features: real, masks: lungs, qualitative: input.qualitative ?? 4 }],
    onProgress: input.onProgress,
  });
  const rows = (r.results.objects() as Record<string, any>[]).filter((x) => x.metric === 'dice').map((x) => ({
    ...x, group: x.dataset === input.source.dataset ? 'in-domain' : 'out-of-domain',
  }));
  return { table: aq.from(rows), predictions: [], examples: r.extraPredictions[input.target.dataset] ?? [], selection: r.selection };
}

/** The floors of Fig 4b, by the name drawn in its legend. */
export const LUNG_FLOORS = { wholeImage: 'whole image as lung', background: 'all background' } as const;

/**
 * Fig 4b's floors: the lung Dice of predicting the whole image as lung and of predicting all background (lib/eval
 * constantMaskDice, scored as the heads are), on lungTransfer's test images — the source's test split (in-domain) and
 * every annotated target image (out-of-domain) — as floor rows on Fig 4b's x labels ('in-domain (<source>)').
 * Columns: test, model ('floor: whole image as lung' | 'floor: all background'), value.
 */
export async function lungFloors(source: SampleTable, target: SampleTable): Promise<Record<string, unknown>[]> {
  const lungs = lungMaskSource([source, target]);
  const splits = source.table.array('split') as ArrayLike<string>;
  const sourceTest = (source.table.array('id') as string[]).filter((_, i) => splits[i] === 'test');
  const sets = [
    { test: `in-domain (${source.dataset})`, ids: sourceTest },
    { test: `out-of-domain (${target.dataset})`, ids: await idsWithLungMask(target) },
  ];
  const rows: Record<string, unknown>[] = [];
  for (const set of sets) {
    if (!set.ids.length) throw new Error(`lungFloors: no test image for ${set.test}`);
    for (const [name, fill] of [[LUNG_FLOORS.wholeImage, 1], [LUNG_FLOORS.background, 0]] as const) {
      const [value] = await constantMaskDice(lungs, set.ids, fill);
      rows.push({ test: set.test, model: `${FLOOR_PREFIX}${name}`, value });
    }
  }
  return rows;
}

/**
 * Fig S5 panels: per example, the real X-ray | predicted lungs | truth (masks drawn over the image), in that column
 * order; `models` prefixes each title with the encoder name.
 */
export function transferPanels(examples: readonly SegPrediction[], model: string): Panel[] {
  const panels: Panel[] = [];
  for (const e of examples) {
    if (!e.image) throw new Error(`transferPanels: example ${e.id} has no image (MaskSource without loadImage)`);
    const mask = (m: Uint8Array | null, color: string) => (m ? [{ mask: m, label: LUNG_CLASS, color }] : []);
    panels.push({ image: { image: e.image }, title: `${e.id}` });
    panels.push({ image: { image: e.image, masks: mask(e.predicted[0], '#E69F00') }, title: `${model}: predicted` });
    panels.push({ image: { image: e.image, masks: mask(e.truth[0], '#009E73') }, title: 'truth' });
  }
  return panels;
}

/**
 * Fig S5's encoders: the SSL encoder with the best mean out-of-domain lung Dice (rows of Fig 4b: model, test, value)
 * and, beside it, the random init of its architecture (else the first random init with rows) — the paper showcases its
 * SSL model, and random init is the reference that says what the SSL features add. `random` is undefined when no
 * random init was scored; throws when no SSL encoder was.
 */
export function transferShowcase(rows: ColumnTable | Record<string, unknown>[], encoders: readonly Pick<SessionEncoder, 'name' | 'kind' | 'arch'>[]): { ssl: string; random?: string } {
  const all = Array.isArray(rows) ? rows : (rows.objects() as Record<string, unknown>[]);
  const out = all.filter((r) => String(r.test).startsWith('out-of-domain'));
  const byName = new Map(encoders.map((e) => [e.name, e]));
  const scored = new Set(out.filter((r) => Number.isFinite(r.value as number)).map((r) => String(r.model)));
  const sslRows = out.filter((r) => byName.get(String(r.model))?.kind === 'ssl');
  if (!sslRows.some((r) => Number.isFinite(r.value as number))) throw new Error(`transferShowcase: no SSL encoder with an out-of-domain Dice (models: ${[...scored].join(', ')})`);
  const ssl = bestModel(sslRows);
  const randoms = encoders.filter((e) => e.kind === 'random' && scored.has(e.name));
  const random = (randoms.find((e) => e.arch !== undefined && e.arch === byName.get(ssl)?.arch) ?? randoms[0])?.name;
  return { ssl, random };
}

/**
 * Fig S5 panels for several encoders on the same real images: per example, the X-ray | each encoder's predicted lungs |
 * truth. The runs must hold the same example ids in the same order (lungTransfer keeps the first annotated images).
 */
export function transferComparePanels(runs: readonly { model: string; examples: readonly SegPrediction[] }[]): Panel[] {
  if (!runs.length) throw new Error('transferComparePanels: no runs');
  const ids = runs[0].examples.map((e) => e.id);
  for (const r of runs) {
    const mine = r.examples.map((e) => e.id);
    if (mine.join('\u0000') !== ids.join('\u0000')) throw new Error(`transferComparePanels: ${r.model} has examples ${mine.join(', ')}; ${runs[0].model} has ${ids.join(', ')}`);
  }
  const panels: Panel[] = [];
  ids.forEach((id, i) => {
    const first = runs[0].examples[i];
    if (!first.image) throw new Error(`transferComparePanels: example ${id} has no image (MaskSource without loadImage)`);
    const mask = (m: Uint8Array | null, color: string) => (m ? [{ mask: m, label: LUNG_CLASS, color }] : []);
    panels.push({ image: { image: first.image }, title: id });
    for (const r of runs) panels.push({ image: { image: first.image, masks: mask(r.examples[i].predicted[0], '#E69F00') }, title: `${r.model}: predicted` });
    panels.push({ image: { image: first.image, masks: mask(first.truth[0], '#009E73') }, title: 'truth' });
  });
  return panels;
}

// ---------------------------------------------------------------------------------------------------------------------
// Fig 3d / S2: 3-class COVID-like / pneumonia / normal

/**
 * A view of `st` whose multi-class labels use `names` (matched case-insensitively, ignoring '-', '_', ' ' and a '-19'
 * suffix: 'covid' ↔ 'COVID-19'), with the `class` column re-indexed and one-hot columns renamed — so a real set can be
 * the out-of-domain test set of a head trained on the synthetic classes. Throws naming the class it cannot match.
 */
export function alignClasses(st: SampleTable, names: readonly string[]): SampleTable {
  const from = st.classNames;
  if (!from) throw new Error(`alignClasses: dataset ${st.dataset} has no classNames`);
  const norm = (s: string) => s.toLowerCase().replace(/-19$/, '').replace(/[-_ ]/g, '');
  const map = from.map((c) => {
    const j = names.findIndex((n) => norm(n) === norm(c));
    if (j < 0) throw new Error(`alignClasses: ${st.dataset} class '${c}' matches none of ${names.join(', ')}`);
    return j;
  });
  if (new Set(map).size !== from.length || from.length !== names.length) {
    throw new Error(`alignClasses: ${st.dataset} classes [${from.join(', ')}] do not map one-to-one onto [${names.join(', ')}]`);
  }
  const cls = st.table.array('class') as ArrayLike<number | null>;
  const remapped = Array.from(cls, (c) => (typeof c === 'number' && Number.isFinite(c) ? map[c] : c));
  let table = st.table.assign({ class: remapped });
  const rename: Record<string, string> = {};
  from.forEach((c, i) => { if (table.columnNames().includes(c) && c !== names[map[i]]) rename[c] = names[map[i]]; });
  if (Object.keys(rename).length) table = table.rename(rename);
  return { ...st, table, classNames: [...names], labelNames: [...names] };
}

export interface Covid3Input extends EvalInput {
  /** The real 3-class set (covid-chestxray), already aligned (alignClasses) to `samples.classNames`; absent (a clone
   * without the real sets): the in-domain test only. */
  realTest?: SampleTable;
  /** Class whose one-vs-rest ROC is reported (default the COVID-like class: the last synthetic class). */
  rocClass?: string | number;
}

/**
 * Fig 3d: the 3-class head trained and selected on the synthetic set, tested on its own test split (dataset =
 * synthetic-covid3, in-domain) and, when `realTest` is given, on every labelled real image (dataset = covid-chestxray,
 * out-of-domain: none of them is trained on). Predictions carry `group` = the test dataset.
 */
export async function covid3Transfer(input: Covid3Input): Promise<EvalResult> {
  const { realTest, ...rest } = input;
  const tagP = (ps: Predictions[], g: string) => ps.map((p) => ({ ...p, group: g }));
  const inD = await evalOutOfDomain3Class({ ...rest });
  if (!realTest) return { table: inD.table, predictions: tagP(inD.predictions, input.samples.dataset) };
  // all rows of the real set (none is trained on), the cache entry lungTransfer also reads
  const realFeats = await allRowFeatures(input, realTest);
  const outD = await evalOutOfDomain3Class({ ...rest, testSet: { samples: realTest, features: realFeats } });
  return {
    table: inD.table.concat(outD.table),
    predictions: [...tagP(inD.predictions, input.samples.dataset), ...tagP(outD.predictions, realTest.dataset)],
  };
}

/** Fig 3d right: ROC points (rows model, dataset, fpr, tpr, auc) of class `k` for the first seed's predictions. */
export function rocRows(model: string, predictions: readonly Predictions[], k: number): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const p of predictions) {
    if (seen.has(p.group)) continue; // first seed per test set
    seen.add(p.group);
    const c = p.classNames.length;
    const y = Float64Array.from(p.labels as Int32Array, (v) => (v === k ? 1 : 0));
    const s = Float64Array.from({ length: p.ids.length }, (_, i) => p.scores[i * c + k]);
    const r = rocCurve(y, s);
    r.fpr.forEach((f, i) => rows.push({ model, dataset: p.group, seed: p.seed, fpr: f, tpr: r.tpr[i] }));
  }
  return rows;
}

/**
 * Fig S2: confusion matrices summed over seeds, row-normalised (each true class sums to 1): rows model, dataset, true,
 * predicted, value (fraction), count, label ('0.82 (41)').
 */
export function confusionRows(table: ColumnTable): Record<string, unknown>[] {
  const acc = new Map<string, { model: string; dataset: string; t: string; p: string; count: number }>();
  for (const r of table.objects() as Record<string, any>[]) {
    if (r.metric !== 'count') continue;
    const m = /^true=(.*)\|pred=(.*)$/.exec(r.group);
    if (!m) continue;
    const k = `${r.model}\u0000${r.dataset}\u0000${m[1]}\u0000${m[2]}`;
    if (!acc.has(k)) acc.set(k, { model: r.model, dataset: r.dataset, t: m[1], p: m[2], count: 0 });
    acc.get(k)!.count += r.value;
  }
  const totals = new Map<string, number>();
  for (const a of acc.values()) {
    const k = `${a.model}\u0000${a.dataset}\u0000${a.t}`;
    totals.set(k, (totals.get(k) ?? 0) + a.count);
  }
  return [...acc.values()].map((a) => {
    const tot = totals.get(`${a.model}\u0000${a.dataset}\u0000${a.t}`) ?? 0;
    const value = tot > 0 ? a.count / tot : NaN;
    return { model: a.model, dataset: a.dataset, panel: `${a.model} · ${a.dataset}`, true: a.t, predicted: a.p, value, count: a.count, label: `${Number.isFinite(value) ? value.toFixed(2) : '–'} (${a.count})` };
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Fig 3e / S3: Cobb angles

/** Readable angle names for the synthetic-spine targets (AASCE: proximal-thoracic, main-thoracic, thoraco-lumbar). */
export const COBB_NAMES: Record<string, string> = { cobb_pt: 'PT', cobb_mt: 'MT', cobb_tl: 'TL' };

export interface CobbInput extends Pick<EvalInput, 'model' | 'encoder' | 'cacheDir' | 'extractBatchSize' | 'datasetKey' | 'seeds' | 'samples'> {
  segmentation: Profile['segmentation'];
}

/**
 * Fig 3e: evalRegression on a spine set (targets = its targetNames) with the profile's regression lrs / epochs; the
 * result table's `group` renamed to PT / MT / TL. Extras: scatter rows and attention maps.
 */
export async function cobbAngles(input: CobbInput): Promise<EvalResult & { scatter: ColumnTable; attention: RegAttention[]; selection: ColumnTable }> {
  const r: EvalRegressionResult = await evalRegression({
    model: input.model, encoder: input.encoder, cacheDir: input.cacheDir, extractBatchSize: input.extractBatchSize,
    datasetKey: input.datasetKey, seeds: input.seeds ?? [0], lrs: input.segmentation.regLrs, epochs: input.segmentation.regEpochs,
    targets: input.samples,
  });
  const rename = (g: string) => COBB_NAMES[g] ?? g;
  const table = aq.from((r.results.objects() as Record<string, any>[]).map((x) => ({ ...x, group: rename(x.group) })));
  const scatter = aq.from((r.predictions.objects() as Record<string, any>[]).map((x) => ({ model: x.model, seed: x.seed, id: x.id, target: rename(x.group), truth: x.truth, prediction: x.pred })));
  return { table, predictions: [], scatter, attention: r.attention, selection: r.selection };
}

/**
 * Table S3: per model and angle, mean over seeds of Pearson r, r² and (angle 'all') SMAPE: rows model, angle, pearson,
 * r2, smape (SMAPE is over all angles, repeated on each row).
 */
export function cobbTable(table: ColumnTable): Record<string, unknown>[] {
  const rows = table.objects() as Record<string, any>[];
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : NaN);
  const models = [...new Set(rows.map((r) => r.model as string))];
  const out: Record<string, unknown>[] = [];
  for (const m of models) {
    const mine = rows.filter((r) => r.model === m && r.split === 'test');
    const smape = mean(mine.filter((r) => r.metric === 'smape').map((r) => r.value));
    const angles = [...new Set(mine.filter((r) => r.metric === 'pearson').map((r) => r.group as string))];
    for (const a of angles) {
      out.push({
        model: m, angle: a,
        pearson: mean(mine.filter((r) => r.group === a && r.metric === 'pearson').map((r) => r.value)),
        r2: mean(mine.filter((r) => r.group === a && r.metric === 'r2').map((r) => r.value)),
        smape_all: smape,
      });
    }
  }
  return out;
}

/**
 * Fig 3e right: the regression head's attention maps — per sample, the X-ray then one heat map per head (bilinear on
 * the patch grid), titled with the model and head.
 */
export async function cobbAttentionPanels(samples: SampleTable, attention: readonly RegAttention[], model: string, maxSamples = 2): Promise<Panel[]> {
  const panels: Panel[] = [];
  const firstSeed = attention.length ? attention[0].seed : 0;
  for (const a of attention.filter((x) => x.seed === firstSeed).slice(0, maxSamples)) {
    const image = await samples.loadImage(a.id);
    const t = a.gridH * a.gridW;
    panels.push({ image: { image }, title: `${a.id}` });
    for (let h = 0; h < a.heads; h++) {
      const map = attentionToImage(a.attention.subarray(h * t, (h + 1) * t), a.gridH, a.gridW, { width: image.width, height: image.height });
      panels.push({ image: { image, heatmap: { data: map, width: image.width, height: image.height } }, title: `${model} head ${h + 1}` });
    }
  }
  return panels;
}

/**
 * The encoder with the highest mean `value` over the rows of a summary table (e.g. a barsWithP table, averaged over its
 * x groups) — which encoder a qualitative panel shows. Throws on an empty table.
 */
export function bestModel(table: ColumnTable | Record<string, unknown>[], where: (row: Record<string, any>) => boolean = () => true): string {
  const rows = (Array.isArray(table) ? table : table.objects() as Record<string, any>[]).filter(where);
  const m = new Map<string, number[]>();
  for (const r of rows) if (Number.isFinite(r.value)) m.set(String(r.model), [...(m.get(String(r.model)) ?? []), r.value as number]);
  if (!m.size) throw new Error('bestModel: no row with a finite value');
  return [...m].map(([model, v]) => ({ model, mean: v.reduce((s, x) => s + x, 0) / v.length })).sort((a, b) => b.mean - a.mean)[0].model;
}

// ---------------------------------------------------------------------------------------------------------------------
// Spec touches the notebook needs on top of lib/figures' builders

/**
 * A copy of a vega-lite spec with `order` as the sort of every nominal x / column / xOffset / facet encoding on `field`
 * (e.g. PT, MT, TL instead of alphabetical; an empty `order` leaves sorting alone) and legends wide enough for long
 * encoder names and x labels (e.g. 'out-of-domain (covid-chestxray)').
 */
export function orderedSpec<S extends object>(spec: S, field: string, order: readonly string[], legendLimit = 360): S {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = walk(x, k);
    if (order.length && (key === 'x' || key === 'column' || key === 'xOffset' || key === 'row') && o.field === field) out.sort = [...order];
    return out;
  };
  const s = walk(spec) as Record<string, unknown>;
  const c = (s.config ?? {}) as Record<string, any>;
  s.config = { ...c, legend: { ...(c.legend ?? {}), labelLimit: legendLimit }, axisX: { ...(c.axisX ?? {}), labelLimit: legendLimit } };
  return s as S;
}
