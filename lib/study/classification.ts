/**
 * Notebook 02 (paper Fig. 2): the steps between the evaluation protocols and the figures — bars with 95 % CIs and
 * t-test p labels (Fig. 2a/2b/2e), the classes macro AUROC had to skip, organ/bone mask groups for the synthetic
 * anatomy (Fig. 2b/2e), test features reordered so the qualitative cases are the pneumothorax ones (Fig. 2c), and the
 * image panels of Fig. 2c (image | attention | predicted | truth) and Fig. 2d (organ overlays).
 *
 * RayDINO (Moutakanni et al. 2024), Fig. 2: AUROC per classification set, mDice per segmentation set and per organ,
 * qualitative segmentation with attention maps.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { GreyImage, SampleTable, Split } from '../data/types';
import type { FeatureSet } from '../features/feature-set';
import { selectIds } from '../features/feature-set';
import type { EvalSegmentationResult, MaskSource, SegPrediction } from '../eval/segmentation';
import { defaultPyramidBlocks, evalSegmentation, maskSourceFromSampleTable, resolveSplitFeatures } from '../eval/segmentation';
import type { AttentionMap } from '../eval/explainability';
import type { EvalResult, Predictions } from '../eval/eval-input';
import type { CompareInput } from '../session/session';
import { groupedVerdicts, macroAuroc, tTestFromStats } from '../stats';
import type { Comparison } from '../stats';
import type { Panel } from '../plots/panel-grid';
import type { MaskOverlay } from '../plots/xray';
import { pValuesVsReference, summariseSeeds } from '../analysis/summarise';

/**
 * The synthetic phantom's structures grouped as the paper's Fig. 2e organ / bone classes (PAX-Ray++ style): left and
 * right lungs → lungs, both clavicles → clavicles, the 20 ribs → ribs. A group lists mask classes of the dataset.
 */
export const SYNTHETIC_ORGAN_GROUPS: Readonly<Record<string, readonly string[]>> = {
  lungs: ['right_lung', 'left_lung'],
  heart: ['heart'],
  mediastinum: ['mediastinum'],
  clavicles: ['right_clavicle', 'left_clavicle'],
  ribs: [...Array.from({ length: 10 }, (_, i) => `R${i + 1}`), ...Array.from({ length: 10 }, (_, i) => `L${i + 1}`)],
  spine: ['spine'],
  diaphragm: ['diaphragm'],
};

/**
 * A MaskSource whose class g is the union (pixel-wise OR) of the dataset's mask classes `groups[g]`. A group is null
 * (not annotated) for a sample only when every member is null.
 *
 * @example
 * evalSegmentation({ ..., masks: groupedMaskSource(cxr, { ...SYNTHETIC_ORGAN_GROUPS, pneumothorax: ['Pneumothorax'] }) })
 */
export function groupedMaskSource(st: SampleTable, groups: Readonly<Record<string, readonly string[]>>): MaskSource {
  const names = Object.keys(groups);
  if (names.length === 0) throw new Error('groupedMaskSource: no groups');
  const members = [...new Set(names.flatMap((g) => groups[g]))];
  for (const g of names) if (groups[g].length === 0) throw new Error(`groupedMaskSource: group '${g}' has no member classes`);
  const base = maskSourceFromSampleTable(st, members); // validates every member against st.maskClasses
  const idx = names.map((g) => groups[g].map((c) => members.indexOf(c)));
  return {
    classes: names,
    async load(id) {
      const s = await base.load(id);
      const n = s.width * s.height;
      const masks = idx.map((ks) => {
        const parts = ks.map((k) => s.masks[k]).filter((m): m is Uint8Array => m !== null);
        if (parts.length === 0) return null;
        const out = new Uint8Array(n);
        for (const m of parts) for (let p = 0; p < n; p++) if (m[p]) out[p] = 1;
        return out;
      });
      return { width: s.width, height: s.height, masks };
    },
    loadImage: base.loadImage,
  };
}

export interface BarsOptions {
  metric: string;
  /** ResultTable group kept (e.g. 'macro', 'all'); undefined = every group (then put 'group' in `by`). */
  group?: string;
  split?: string;
  /** Columns of one bar besides 'model' (default ['dataset']). */
  by?: string[];
  level?: number;
  /** The metric's range: a t-interval reaching past it (3 seeds, a noisy rare class) is clipped for display (default [0, 1]; null = none). */
  clip?: [number, number] | null;
}

/**
 * Mean over seeds with a 95 % t-interval per (by…, model), joined with the two-sided t-test p of each encoder against
 * the best one in its `by` group (scipy ttest_ind, equal variances): columns ...by, model, value, lo, hi, sd, n, p,
 * label ('' for the best; 'p ≤ 1e-5' style otherwise), best (the best encoder's name). lo/hi are clipped to `clip`.
 */
export function barsWithP(table: ColumnTable, o: BarsOptions): ColumnTable {
  const by = o.by ?? ['dataset'];
  const summary = summariseSeeds(table, { by: [...by, 'model'], metric: o.metric, group: o.group, split: o.split, level: o.level });
  const p = pValuesVsReference(table, { by, metric: o.metric, group: o.group, split: o.split });
  const key = (r: Record<string, unknown>) => JSON.stringify([...by, 'model'].map((c) => r[c]));
  const pRows = new Map((p.objects() as Record<string, unknown>[]).map((r) => [key(r), r]));
  const rows = (summary.objects() as Record<string, unknown>[]).map((r) => {
    const q = pRows.get(key(r));
    const [a, b] = o.clip === undefined ? [0, 1] : o.clip ?? [-Infinity, Infinity];
    const clip = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(b, Math.max(a, v)) : v);
    return { ...r, lo: clip(r.lo), hi: clip(r.hi), p: (q?.p as number) ?? NaN, label: (q?.label as string) ?? '', best: (q?.reference as string) ?? '' };
  });
  return aq.from(rows);
}

function groupRows(bars: ColumnTable, by: string[]): Map<string, Record<string, unknown>[]> {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const r of bars.objects() as Record<string, unknown>[]) {
    const k = by.map((c) => String(r[c])).join(' / ');
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return groups;
}

/**
 * Plain-words verdict per `by` group of a barsWithP table: the encoder with the highest mean (with its CI), then, for
 * every other encoder, "better than" only where barsWithP's t-test over seeds against it is significant after Holm
 * correction across all comparisons of the table (the figure), else "no significant difference (p = …)"
 * (lib/stats/verdict). Returned as lines so a notebook prints what the numbers support.
 */
export function verdictLines(bars: ColumnTable, metric: string, by: string[] = ['dataset'], opts: { alpha?: number } = {}): string[] {
  const f = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : 'n/a');
  const groups: { head: string; family: Comparison[] }[] = [];
  for (const [k, rs] of groupRows(bars, by)) {
    const scored = rs.filter((r) => Number.isFinite(r.value as number)).sort((a, b) => (b.value as number) - (a.value as number));
    if (!scored.length) { groups.push({ head: `${k}: no encoder could be scored on ${metric}`, family: [] }); continue; }
    const top = scored[0];
    groups.push({
      head: `${k}: highest mean ${metric} ${top.model} ${f(top.value)} [${f(top.lo)}, ${f(top.hi)}]`,
      family: scored.slice(1).map((r) => ({ a: String(top.model), b: String(r.model), p: r.p as number, meanA: top.value as number, meanB: r.value as number })),
    });
  }
  return groupedVerdicts(groups, { alpha: opts.alpha }).map(({ head, verdicts: v }) => {
    const said = v.map((x) => `${x.line} [${x.b} ${f(x.meanB)}]`);
    return said.length ? `${head}; ${said.join('; ')}` : head;
  });
}

/**
 * SSL vs random init (the paper's floor): for each `by` group, every SSL × random-init pair tested with the t-test over
 * seeds (from the bars' mean / SD / n, = scipy ttest_ind_from_stats), Holm-corrected across all pairs of the table;
 * "SSL better than random init" for a group only when every pair is significant in SSL's favour, else the pairs' own
 * verdicts. `kinds` maps model name → 'ssl' | 'random' | … (from study.encoders). Empty when either kind is absent.
 */
export function sslVsRandom(bars: ColumnTable, kinds: ReadonlyMap<string, string>, by: string[] = ['dataset'], opts: { alpha?: number } = {}): string[] {
  const groups: { k: string; family: Comparison[] }[] = [];
  for (const [k, rs] of groupRows(bars, by)) {
    const ssl = rs.filter((r) => kinds.get(String(r.model)) === 'ssl' && Number.isFinite(r.value as number));
    const rnd = rs.filter((r) => kinds.get(String(r.model)) === 'random' && Number.isFinite(r.value as number));
    if (!ssl.length || !rnd.length) continue;
    const family = ssl.flatMap((s) => rnd.map((r): Comparison => {
      const t = tTestFromStats(s.value as number, s.sd as number, s.n as number, r.value as number, r.sd as number, r.n as number);
      return { a: String(s.model), b: String(r.model), p: t.p, meanA: s.value as number, meanB: r.value as number };
    }));
    groups.push({ k, family });
  }
  return groupedVerdicts(groups, { alpha: opts.alpha }).map(({ k, verdicts: here }) => {
    const all = here.every((x) => x.better === x.a);
    return `${k}: ${all ? 'SSL better than random init' : 'SSL NOT shown better than random init'} (${here.map((x) => x.line).join('; ')})`;
  });
}

/**
 * The classes macro AUROC left out (a single label value among the known test labels), per model, dataset and seed
 * of the protocol's test predictions → rows { model, dataset, seed, skipped: 'A, B' }.
 */
export function skippedClasses(predictions: ReadonlyMap<string, Predictions[]>, dataset: string): { model: string; dataset: string; seed: number; skipped: string }[] {
  const out: { model: string; dataset: string; seed: number; skipped: string }[] = [];
  for (const [model, preds] of predictions) {
    for (const p of preds) {
      const n = p.ids.length, c = p.classNames.length;
      const Y = Array.from({ length: c }, (_, k) => Float64Array.from({ length: n }, (_, i) => p.labels[i * c + k]));
      const S = Array.from({ length: c }, (_, k) => Float64Array.from({ length: n }, (_, i) => p.scores[i * c + k]));
      out.push({ model, dataset, seed: p.seed, skipped: macroAuroc(Y, S, { layout: 'classes' }).skipped.map((k) => p.classNames[k]).join(', ') });
    }
  }
  return out;
}

/**
 * Test ids with the positive ones of `label` first (in table order), then the rest — so a protocol that keeps its first
 * test samples for qualitative figures (evalSegmentation `qualitative`) keeps the positive cases; metrics are unchanged.
 */
export function positivesFirst(samples: SampleTable, ids: readonly string[], label: string): string[] {
  const pos = new Set(positiveIds(samples, ids, label));
  return [...ids.filter((id) => pos.has(id)), ...ids.filter((id) => !pos.has(id))];
}

/** The same FeatureSets with the test split reordered by `positivesFirst` (train/val untouched). */
export function withPositivesFirst(features: Record<Split, FeatureSet>, samples: SampleTable, label: string): Record<Split, FeatureSet> {
  return { ...features, test: selectIds(features.test, positivesFirst(samples, features.test.ids, label)) };
}

const TRUTH = '#00c060';
const PRED = '#ff3030';

/**
 * Fig. 2c rows: image | attention map (attentive head, class `label`) | predicted mask | truth, for the cases present in
 * both the segmentation predictions and the attention maps (at most `n`, first seed of each).
 */
export function attentionMaskPanels(o: {
  seg: readonly SegPrediction[]; maps: readonly AttentionMap[]; segClass: string; label: string; n: number;
}): Panel[] {
  const panels: Panel[] = [];
  let rows = 0;
  for (const p of o.seg) {
    if (rows >= o.n) break;
    const m = o.maps.find((a) => a.id === p.id && a.label === o.label);
    const k = p.classes.indexOf(o.segClass);
    if (!m || k < 0 || !p.image) continue;
    const truth = p.truth[k];
    if (!truth || !truth.some((v) => v)) continue;
    const image = p.image;
    panels.push(
      { image: { image }, title: `${p.id}` },
      { image: { image, heatmap: { data: m.map, width: m.gridW, height: m.gridH, alpha: 0.6 } }, title: `attention: ${o.label}` },
      { image: { image, masks: [{ mask: p.predicted[k], label: 'predicted', color: PRED }] }, title: 'predicted mask' },
      { image: { image, masks: [{ mask: truth, label: 'truth', color: TRUTH }] }, title: 'ground truth' },
    );
    rows++;
  }
  return panels;
}

/** Distinct overlay colours for the synthetic organ / bone groups (Okabe–Ito based). */
export const ORGAN_COLORS: Readonly<Record<string, string>> = {
  lungs: '#0072B2', heart: '#D55E00', mediastinum: '#E69F00', diaphragm: '#F0E442',
  clavicles: '#CC79A7', ribs: '#56B4E9', spine: '#009E73', Pneumothorax: '#ff3030',
};

/**
 * Fig. 2d: per case, the image then, for each panel group (e.g. { organs: [lungs, heart, …], bones: [ribs, …] }), the
 * truth and the predicted masks overlaid, one colour per class (`colors`, default ORGAN_COLORS). Titles name the classes.
 */
export function organOverlayPanels(seg: readonly SegPrediction[], o: {
  groups: Readonly<Record<string, readonly string[]>>; n: number; colors?: Readonly<Record<string, string>>;
}): Panel[] {
  const colors = o.colors ?? ORGAN_COLORS;
  const panels: Panel[] = [];
  for (const p of seg.slice(0, o.n)) {
    if (!p.image) continue;
    panels.push({ image: { image: p.image as GreyImage }, title: p.id });
    for (const [name, classes] of Object.entries(o.groups)) {
      const ks = classes.map((c) => p.classes.indexOf(c)).filter((k) => k >= 0);
      const overlays = (src: (Uint8Array | null)[]): MaskOverlay[] =>
        ks.filter((k) => src[k]).map((k) => ({ mask: src[k] as Uint8Array, label: p.classes[k], color: colors[p.classes[k]], alpha: 0.45 }));
      panels.push(
        { image: { image: p.image, masks: overlays(p.truth) }, title: `${name}: truth` },
        { image: { image: p.image, masks: overlays(p.predicted) }, title: `${name}: predicted` },
      );
    }
  }
  return panels;
}

/** One segmentation head trained on an encoder's tokens: its masks and which samples it sees. */
export interface SegTask {
  /** The ResultTable `task` (e.g. 'organs', 'pneumothorax'). */
  task: string;
  masks: SampleTable | MaskSource;
  /**
   * Train, select and test on the samples positive for this label only (SIIM-style lesion segmentation: Dice given
   * the finding is present — a rare finding would otherwise teach the head to predict nothing).
   */
  onlyPositives?: string;
  /** Put the test samples positive for this label first, so the qualitative cases show it (metrics unchanged). */
  positivesFirst?: string;
}

/** Options of the segmentation step inside `study.compare` (sizes come from the profile's `segmentation` section). */
export interface SegmentRunOptions {
  tasks: SegTask[];
  seeds: number[];
  lrs: number[];
  epochs: number;
  maxTrain?: number;
  /** Test cases kept with their masks for the qualitative figures. */
  qualitative: number;
}

/** The ids among `ids` whose `label` is 1, in their order. */
export function positiveIds(samples: SampleTable, ids: readonly string[], label: string): string[] {
  if (!samples.table.columnNames().includes(label)) throw new Error(`positiveIds: dataset ${samples.dataset} has no label '${label}'`);
  const all = samples.table.array('id') as ArrayLike<string>;
  const col = samples.table.array(label) as ArrayLike<number | null>;
  const pos = new Set<string>();
  for (let i = 0; i < all.length; i++) if (col[i] === 1) pos.add(String(all[i]));
  return ids.filter((id) => pos.has(id));
}

/**
 * evalSegmentation for one encoder of a study comparison: features (with the pyramid's blocks) extracted once through
 * the shared cache, then one head per task. Shaped as `compare` wants: { table (every task stacked), predictions: [] }
 * plus `seg` = each task's full result (qualitative masks, lr selection).
 */
export async function segmentForStudy(input: CompareInput, samples: SampleTable, o: SegmentRunOptions): Promise<EvalResult & { seg: Record<string, EvalSegmentationResult> }> {
  const blocks = defaultPyramidBlocks(input.encoder?.blocks, 4);
  const all = await resolveSplitFeatures({ encoder: input.encoder, cacheDir: input.cacheDir, extractBatchSize: input.extractBatchSize, datasetKey: input.datasetKey },
    samples, blocks, `segmentation ${input.model}`);
  const seg: Record<string, EvalSegmentationResult> = {};
  const tables: ColumnTable[] = [];
  for (const t of o.tasks) {
    let features = all;
    if (t.onlyPositives) {
      const label = t.onlyPositives;
      features = Object.fromEntries((['train', 'val', 'test'] as const).map((s) => {
        const ids = positiveIds(samples, all[s].ids, label);
        if (ids.length === 0) throw new Error(`segmentation ${input.model}: no ${s} sample of ${samples.dataset} is positive for ${label}`);
        return [s, selectIds(all[s], ids)];
      })) as Record<Split, FeatureSet>;
    }
    if (t.positivesFirst) features = withPositivesFirst(features, samples, t.positivesFirst);
    const r = await evalSegmentation({
      model: input.model, task: t.task, dataset: samples.dataset, features, masks: t.masks,
      seeds: o.seeds, lrs: o.lrs, epochs: o.epochs, maxTrain: o.maxTrain !== undefined && o.maxTrain < features.train.n ? o.maxTrain : undefined,
      qualitative: o.qualitative,
    });
    const secs = (r.selection.array('seconds') as number[]).reduce((a, b) => a + b, 0);
    console.log(`  ${t.task}: ${Math.min(features.train.n, o.maxTrain ?? Infinity)} train images × ${o.epochs} epochs × ${o.lrs.length} lr × ${o.seeds.length} seed: ${secs.toFixed(1)} s training`);
    seg[t.task] = r;
    tables.push(r.results);
  }
  return { table: tables.reduce((a, b) => a.concat(b)), predictions: [], seg };
}

export interface SegSet {
  /** Name on the figure's x axis, e.g. 'synthetic organs'. */
  name: string;
  /** ResultTable dataset, task (optional) and classes (groups) averaged into this set's mDice (per model and seed). */
  dataset: string;
  task?: string;
  classes: readonly string[];
}

/**
 * Fig. 2b: mDice per segmentation "set" — the mean Dice over `classes` of one dataset per (model, seed) — as ResultTable
 * rows (dataset = set name, group 'all', metric 'mDice'), so barsWithP draws them.
 */
export function segSetTable(table: ColumnTable, sets: readonly SegSet[]): ColumnTable {
  const rows = table.objects() as Record<string, unknown>[];
  const out: Record<string, unknown>[] = [];
  for (const s of sets) {
    const acc = new Map<string, { model: unknown; seed: unknown; task: unknown; sum: number; n: number }>();
    for (const r of rows) {
      if (r.dataset !== s.dataset || (s.task !== undefined && r.task !== s.task) || r.metric !== 'dice' || !s.classes.includes(String(r.group)) || !Number.isFinite(r.value as number)) continue;
      const k = JSON.stringify([r.model, r.seed]);
      const a = acc.get(k) ?? { model: r.model, seed: r.seed, task: r.task, sum: 0, n: 0 };
      a.sum += r.value as number; a.n++;
      acc.set(k, a);
    }
    if (acc.size === 0) throw new Error(`segSetTable: no 'dice' rows of dataset ${s.dataset} for classes ${s.classes.join(', ')}`);
    for (const a of acc.values()) {
      out.push({ model: a.model, task: a.task, dataset: s.name, split: 'test', seed: a.seed, fold: 0, group: 'all', metric: 'mDice', value: a.sum / a.n, config: '' });
    }
  }
  return aq.from(out);
}

/**
 * Display fixes on a metricBars / frequencyBars spec (workarounds in our files, reported to the figures owner): the x
 * categories and colours keep the data's order (bins common → rare, Normal → Abnormal; encoders in study order) instead
 * of vega's alphabetical sort, and
 * legend and axis labels are not cut at 160 px (encoder and dataset names are long); text labels (p values) are drawn
 * vertically above their bar. Returns a new spec.
 */
export function readable<T>(spec: T): T {
  const s = JSON.parse(JSON.stringify(spec)) as Record<string, any>;
  const fix = (node: Record<string, any> | undefined): void => {
    if (!node) return;
    if (node.encoding?.x && !node.encoding.x.sort) node.encoding.x.sort = null;
    if (node.encoding?.xOffset && !node.encoding.xOffset.sort) node.encoding.xOffset.sort = null;
    // colour domain in data order too, so legend order = bar order = the study's encoder order
    if (node.encoding?.color?.field && !node.encoding.color.sort) node.encoding.color.sort = null;
    // p labels: vertical, so six encoders' labels above one group do not overprint each other
    if (node.mark?.type === 'text') node.mark = { ...node.mark, angle: 270, align: 'left', baseline: 'middle', dx: 0, dy: 0, radius: 4 };
    (node.layer as Record<string, any>[] | undefined)?.forEach(fix);
    fix(node.spec);
  };
  fix(s);
  s.config = { ...s.config, legend: { ...s.config?.legend, labelLimit: 400 }, axis: { ...s.config?.axis, labelLimit: 400 } };
  return s as T;
}
