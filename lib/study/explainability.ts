/**
 * Notebook 06 (explainability) glue, RayDINO paper Fig. 4e (pinpointing accuracy), 4f / S6 (attention maps with the
 * truth boxes) and S7 (a spurious cue found through the maps):
 *   - pinpointingSummary: macro pinpointing accuracy per encoder with a percentile bootstrap CI over findings (resampled
 *     within each class) from evalExplainability's attention maps;
 *   - attentionPanels: image + attention heat map + truth boxes, titled with the finding, for renderGrid;
 *   - boxedInTest: a real set whose few boxed images are held out as its test split (NIH sample: 8 boxes);
 *   - spuriousCueExperiment: heads trained with and without the planted brace cue (lib/data/synthetic spuriousCue), their
 *     AUROC where the cue is correlated (val) and decorrelated (test), and the share of the finding head's attention mass
 *     inside the brace vs inside the finding's box on images that hold both.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { Box, GreyImage, SampleTable } from '../data/types';
import { createRng } from '../engine/rng';
import type { AttentionMap } from '../eval/explainability';
import { patchMassInBox, patchOverlap } from '../data/patch-grid';
import type { Comparison } from '../session/session';
import type { EvalInput } from '../eval/eval-input';
import { resolveFeatures } from '../eval/eval-input';
import { fitAndSelect } from '../eval/grid-run';
import { columnOf, labelMatrix } from '../eval/labels';
import { selectIds } from '../features/feature-set';
import { auroc } from '../stats/auroc';
import type { Panel } from '../plots/panel-grid';
import { metricBars } from '../figures/metric-bars';
import { floorRows, withFloors } from '../figures/common';
import type { Spec } from '../figures/common';
import type { BoxOverlay } from '../plots/xray';

type Rect = Pick<Box, 'x' | 'y' | 'w' | 'h'>;

/**
 * Bounding box of the pixels where two renderings of the same phantom differ by more than `threshold` — with and without
 * the planted cue (the generator draws identical phantoms but for the brace), this is the brace's box. null when none differ.
 */
export function diffBox(a: GreyImage, b: GreyImage, threshold = 0.05): Rect | null {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`diffBox: sizes differ (${a.width}×${a.height} vs ${b.width}×${b.height})`);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = y * a.width + x;
      if (Math.abs(a.data[i] - b.data[i]) > threshold) {
        if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

export interface PinpointingSummary { value: number; lo: number; hi: number; findings: number; classes: number }

/** Macro accuracy: the mean over classes of each class's hit rate (classes without findings left out). */
function macroHits(labels: readonly string[], hits: readonly number[], rows: ArrayLike<number>): number {
  const byClass = new Map<string, [number, number]>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const c = byClass.get(labels[r]) ?? [0, 0];
    c[0] += hits[r]; c[1]++;
    byClass.set(labels[r], c);
  }
  let s = 0;
  for (const [h, n] of byClass.values()) s += h / n;
  return s / byClass.size;
}

/**
 * Macro pinpointing accuracy of one set of maps (one seed) with a percentile bootstrap CI: findings resampled with
 * replacement (all together, so that a class with one finding still varies — it may be absent from a resample), the macro
 * mean over the classes present recomputed (`n` resamples, `seed`; numpy.percentile's linear rule).
 */
export function pinpointingCI(maps: readonly Pick<AttentionMap, 'label' | 'hit'>[], opts: { n?: number; seed?: number; level?: number } = {}): PinpointingSummary {
  const n = opts.n ?? 1000, level = opts.level ?? 0.95;
  if (maps.length === 0) throw new Error('pinpointingCI: no attention maps');
  const labels = maps.map((m) => m.label), hits = maps.map((m) => (m.hit ? 1 : 0));
  const m = maps.length;
  const value = macroHits(labels, hits, Int32Array.from({ length: m }, (_, i) => i));
  const rng = createRng(opts.seed ?? 0);
  const boot = new Float64Array(n);
  const rows = new Int32Array(m);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < m; i++) rows[i] = rng.int(m);
    boot[b] = macroHits(labels, hits, rows);
  }
  boot.sort();
  const q = (p: number) => {
    const pos = p * (n - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
    return boot[lo] + (boot[hi] - boot[lo]) * (pos - lo);
  };
  const a = (1 - level) / 2;
  return { value, lo: q(a), hi: q(1 - a), findings: m, classes: new Set(labels).size };
}

/**
 * Fig 4e rows: per model (and dataset) the macro pinpointing accuracy of the first seed's maps with its bootstrap CI,
 * and the chance level evalExplainability reports (a uniformly random patch).
 * Columns: model, dataset, value, lo, hi, chance, findings, classes.
 */
export function pinpointingSummary(results: readonly { model: string; dataset: string; maps: readonly AttentionMap[]; table: ColumnTable }[], opts: { n?: number; seed?: number } = {}): ColumnTable {
  return aq.from(results.map((r) => {
    const seed = r.maps.length ? r.maps[0].seed : 0;
    const s = pinpointingCI(r.maps.filter((m) => m.seed === seed), opts);
    const chance = (r.table.objects() as { seed: number; group: string; metric: string; value: number }[])
      .find((x) => x.seed === seed && x.group === 'macro' && x.metric === 'pinpointing_chance')?.value ?? NaN;
    return { model: r.model, dataset: r.dataset, ...s, chance };
  }));
}

/** Fig 4e's floor, by the name drawn in its legend. */
export const PINPOINTING_FLOOR = 'chance (random patch)';

/**
 * Fig 4e: metricBars of pinpointingSummary (x dataset, colour model, 95 % CI whiskers) with the chance level drawn as a
 * floor named in the legend ('floor: chance (random patch)', a dashed rule across the dataset's bars) where every
 * encoder of a dataset has the same chance level (the same patch grid); otherwise each bar gets its own red tick and the
 * title says so. Legend labels are never truncated (encoder names are long).
 */
export function pinpointingBars(summary: ColumnTable, opts: { title?: string } = {}): Spec {
  const rows = summary.objects() as { dataset: string; chance: number }[];
  const chance = new Map<string, number[]>();
  for (const r of rows) chance.set(r.dataset, [...(chance.get(r.dataset) ?? []), r.chance]);
  const shared = [...chance.values()].every((v) => v.every((x) => Number.isFinite(x) && Math.abs(x - v[0]) < 1e-12));
  if (shared) {
    const floors = floorRows(PINPOINTING_FLOOR, Object.fromEntries([...chance].map(([d, v]) => [d, v[0]])), { x: 'dataset', color: 'model' });
    const spec = metricBars(withFloors(summary, floors), { x: 'dataset', color: 'model', yTitle: 'pinpointing macro accuracy', yDomain: [0, 1], title: opts.title }) as Record<string, any>;
    spec.config = { ...spec.config, legend: { ...spec.config?.legend, labelLimit: 0 } };
    return spec as Spec;
  }
  const title = `${opts.title ? `${opts.title} · ` : ''}red tick: each encoder's chance level (random patch)`;
  const spec = metricBars(summary, { x: 'dataset', color: 'model', yTitle: 'pinpointing macro accuracy', yDomain: [0, 1], title }) as Record<string, any>;
  if (!Array.isArray(spec.layer)) throw new Error('pinpointingBars: expected a layered metricBars spec');
  spec.layer = [...spec.layer, {
    mark: { type: 'tick', color: '#d62728', thickness: 2 },
    encoding: { x: { field: 'dataset', type: 'nominal' }, xOffset: { field: 'model', type: 'nominal' }, y: { field: 'chance', type: 'quantitative' } },
  }];
  spec.config = { ...spec.config, legend: { ...spec.config?.legend, labelLimit: 0 } };
  return spec as Spec;
}

/** Fewer findings than this get no verdict: a bootstrap over a handful of 0/1 hits gives degenerate intervals. */
export const MIN_FINDINGS_FOR_VERDICT = 20;

/**
 * Fig 4e in words, one line per pinpointingSummary row: the accuracy with its CI against the chance level — above chance
 * (CI entirely above), below chance (CI entirely below), not distinguishable from it, or too few findings to say
 * (< MIN_FINDINGS_FOR_VERDICT).
 */
export function describePinpointing(summary: ColumnTable): string[] {
  return (summary.objects() as (PinpointingSummary & { model: string; dataset: string; chance: number })[]).map((r) => {
    const verdict = r.findings < MIN_FINDINGS_FOR_VERDICT ? `too few findings for a verdict (< ${MIN_FINDINGS_FOR_VERDICT})`
      : r.lo > r.chance ? 'above chance' : r.hi < r.chance ? 'BELOW chance (the max-attention patch avoids the findings)' : 'not distinguishable from chance';
    return `${r.model} on ${r.dataset}: ${r.value.toFixed(3)} [${r.lo.toFixed(3)}, ${r.hi.toFixed(3)}] vs chance ${r.chance.toFixed(3)} — ${verdict} (${r.findings} findings, ${r.classes} classes)`;
  });
}

/** evalExplainability outputs of a Session.compare run, one entry per encoder, as pinpointingSummary takes them. */
export function explainabilityResults(c: Comparison, dataset: string): { model: string; dataset: string; maps: AttentionMap[]; table: ColumnTable }[] {
  return [...c.extras].map(([model, r]) => {
    if (!Array.isArray(r.maps)) throw new Error(`explainabilityResults: encoder ${model} has no attention maps (not an evalExplainability result?)`);
    return { model, dataset, maps: r.maps as AttentionMap[], table: r.table };
  });
}

/** The attention maps of one encoder in a Session.compare run of evalExplainability. */
export function mapsOf(c: Comparison, model: string): AttentionMap[] {
  const r = c.extras.get(model);
  if (!r) throw new Error(`mapsOf: no encoder '${model}' in the comparison (has: ${[...c.extras.keys()].join(', ')})`);
  if (!Array.isArray(r.maps)) throw new Error(`mapsOf: encoder ${model} has no attention maps`);
  return r.maps as AttentionMap[];
}

/**
 * Panels for Fig 4f / S6: one per map — the X-ray, the attention map as a heat map, the truth box(es) in green and the
 * most-attended patch in red, titled '<finding> · hit|miss'. Takes the first map of each class (`onePerClass`, default
 * true; false: the maps in order), at most `max`.
 */
export async function attentionPanels(samples: SampleTable, maps: readonly AttentionMap[], opts: { max?: number; prefix?: string; onePerClass?: boolean } = {}): Promise<Panel[]> {
  const max = opts.max ?? 8;
  const onePerClass = opts.onePerClass ?? true;
  const chosen: AttentionMap[] = [];
  const seen = new Set<string>();
  for (const m of maps) {
    if (chosen.length >= max) break;
    if (onePerClass && seen.has(m.label)) continue;
    seen.add(m.label);
    chosen.push(m);
  }
  return Promise.all(chosen.map(async (m) => {
    const image = await samples.loadImage(m.id);
    const sx = image.width / m.imageWidth, sy = image.height / m.imageHeight;
    const pw = m.imageWidth / m.gridW, ph = m.imageHeight / m.gridH;
    const gy = Math.floor(m.argmax / m.gridW), gx = m.argmax % m.gridW;
    const boxes: BoxOverlay[] = [
      ...m.boxes.map((b) => ({ x: b.x * sx, y: b.y * sy, w: b.w * sx, h: b.h * sy, color: '#00c853' })),
      { x: gx * pw * sx, y: gy * ph * sy, w: pw * sx, h: ph * sy, color: '#ff1744' },
    ];
    return {
      image: { image, boxes, heatmap: { data: m.map, width: m.gridW, height: m.gridH, alpha: 0.5 } },
      title: `${opts.prefix ? `${opts.prefix} · ` : ''}${m.label} · ${m.hit ? 'hit' : 'miss'}`,
    };
  }));
}

/**
 * A copy of a real set whose images with boxes form the test split (moved out of train / val), so that an evaluation of
 * attention maps has every radiologist box to score (the NIH sample has 8). Other rows keep their split.
 */
export function boxedInTest(samples: SampleTable): SampleTable {
  const boxed = new Set((samples.boxes ?? []).map((b) => b.id));
  if (boxed.size === 0) throw new Error(`boxedInTest: dataset ${samples.dataset} has no boxes`);
  const ids = samples.table.array('id') as ArrayLike<string>;
  const split = samples.table.array('split') as ArrayLike<string>;
  const newSplit = Array.from({ length: ids.length }, (_, i) => (boxed.has(String(ids[i])) ? 'test' : split[i]));
  const table = samples.table.assign(aq.table({ split: newSplit }));
  return { ...samples, table, loadImage: (id) => samples.loadImage(id), loadMasks: samples.loadMasks?.bind(samples) };
}

export interface CueArm {
  /** 'cued' (trained where the cue co-occurs with the finding) or 'uncued'. */
  arm: string;
  samples: SampleTable;
  /** Session.inputFor's fields (encoder + cache), or precomputed `features` per split. */
  input: Omit<EvalInput, 'samples'>;
}

export interface SpuriousCueResult {
  /** Rows: model, arm, metric, value — auroc_val, auroc_test, mass_cue, mass_finding, area_cue, area_finding, argmax_in_cue, argmax_in_finding, n_probe. */
  table: ColumnTable;
  /** Attention maps of each arm's head on the probe images (cued validation images with both the finding and the cue). */
  maps: Map<string, AttentionMap[]>;
  probeIds: string[];
}

/**
 * Paper Fig. S7 on the synthetic world: two attentive heads for one finding, trained on the same encoder's features of
 * the set with the planted cue (co-occurring with the finding in train/val, independent in test) and of the same set
 * without it. Reports each head's AUROC on its validation split and on the cued set's test split (cue decorrelated), and,
 * on the probe images (validation images of the cued set holding the finding, its box and the cue), the share of the
 * head's attention mass inside the cue's box (found as the pixel difference between the two renderings) and inside the
 * finding's box, with their areas as the uniform-attention reference.
 */
export async function spuriousCueExperiment(o: { cued: CueArm; uncued: CueArm; finding?: string; seed?: number; maxProbe?: number }): Promise<SpuriousCueResult> {
  const finding = o.finding ?? 'Fracture';
  const seed = o.seed ?? 0;
  const cued = o.cued.samples;
  const feats = new Map<string, Awaited<ReturnType<typeof resolveFeatures>>>();
  for (const a of [o.cued, o.uncued]) feats.set(a.arm, await resolveFeatures({ ...a.input, samples: a.samples }, ['train', 'val', 'test']));
  const fc = feats.get(o.cued.arm)!;
  const braceCol = cued.table.columnNames().includes('brace');
  if (!braceCol) throw new Error(`spuriousCueExperiment: dataset ${cued.dataset} has no 'brace' column (load it with spuriousCue)`);
  // probe: cued validation images with the finding, a box of it and the cue drawn
  const fBoxes = new Map<string, Box[]>();
  for (const b of cued.boxes ?? []) if (b.label === finding) fBoxes.set(b.id, [...(fBoxes.get(b.id) ?? []), b]);
  const y = columnOf<number>(cued, fc.val.ids, finding);
  const brace = columnOf<number>(cued, fc.val.ids, 'brace');
  let probeIds = fc.val.ids.filter((id, i) => y[i] === 1 && brace[i] === 1 && fBoxes.has(id));
  if (o.maxProbe !== undefined) probeIds = probeIds.slice(0, o.maxProbe);
  if (probeIds.length === 0) throw new Error(`spuriousCueExperiment: no validation image of ${cued.dataset} holds ${finding}, its box and the cue`);
  const cueBoxes = new Map<string, Rect>();
  for (const id of probeIds) {
    const b = diffBox(await cued.loadImage(id), await o.uncued.samples.loadImage(id));
    if (!b) throw new Error(`spuriousCueExperiment: image ${id} is identical with and without the cue (no brace drawn?)`);
    cueBoxes.set(id, b);
  }
  const probe = selectIds(fc.val, probeIds);
  const [w, h] = [Number(columnOf(cued, [probeIds[0]], 'width')[0]), Number(columnOf(cued, [probeIds[0]], 'height')[0])];
  const t = probe.gridH * probe.gridW;
  const rows: Record<string, unknown>[] = [];
  const maps = new Map<string, AttentionMap[]>();
  const testIds = fc.test.ids;
  const yTest = labelMatrix(cued, testIds, [finding]);
  for (const a of [o.cued, o.uncued]) {
    const f = feats.get(a.arm)!;
    const lab = (ids: string[]) => labelMatrix(a.samples, ids, [finding]);
    // raw keys unless the input asks for centred ones: with centred keys (evalExplainability's default) the brace cue
    // was no longer found (vit-micro-synthetic quick: 3 % of the attention on the brace vs 28 % with raw keys, val AUROC
    // 0.76 vs 0.94; scripts/pinpointing-check.ts --s7) — the raw-key head uses the brace's fixed position as a prior
    const head = { centreKeys: false, ...a.input.head, grid: { ...a.input.head?.grid, poolings: ['attentive' as const] } };
    const sel = await fitAndSelect({ features: f.train, labels: lab(f.train.ids) }, { features: f.val, labels: lab(f.val.ids) },
      { task: 'multilabel', classes: 1, selection: 'auroc', seed, head, allow: (c) => c.pooling === 'attentive' });
    let att: Float32Array, sTest: Float32Array;
    try {
      sTest = (await sel.grid.predict(fc.test, [sel.best]))[sel.best];
      att = await sel.grid.attention(probe, sel.best);
    } finally {
      await sel.grid.dispose();
    }
    const model = a.input.model;
    const push = (metric: string, value: number) => rows.push({ model, arm: a.arm, config: sel.bestName, metric, value });
    push('auroc_val', sel.valScores[sel.best]);
    push('auroc_test', auroc(Array.from(yTest), Array.from(sTest)));
    let mc = 0, mf = 0, ac = 0, af = 0, inC = 0, inF = 0;
    const list: AttentionMap[] = [];
    probeIds.forEach((id, i) => {
      const map = att.slice(i * t, (i + 1) * t);
      const cb = cueBoxes.get(id)!, fb = fBoxes.get(id)!;
      mc += patchMassInBox(map, probe.gridH, probe.gridW, w, h, cb);
      // a finding with several boxes: mass in their union is bounded by the sum; boxes of one finding rarely overlap
      mf += Math.min(1, fb.reduce((s, b) => s + patchMassInBox(map, probe.gridH, probe.gridW, w, h, b), 0));
      ac += (cb.w * cb.h) / (w * h);
      af += Math.min(1, fb.reduce((s, b) => s + b.w * b.h, 0) / (w * h));
      let arg = 0;
      for (let p = 1; p < t; p++) if (map[p] > map[arg]) arg = p;
      if (patchOverlap(arg, probe.gridH, probe.gridW, w, h, cb) >= 0.5) inC++;
      const hit = fb.some((b) => patchOverlap(arg, probe.gridH, probe.gridW, w, h, b) >= 0.5);
      if (hit) inF++;
      list.push({ seed, config: sel.bestName, id, label: finding, gridH: probe.gridH, gridW: probe.gridW, map, argmax: arg,
        boxes: [...fb, { id, label: 'brace', ...cb }], imageWidth: w, imageHeight: h, hit });
    });
    const n = probeIds.length;
    push('mass_cue', mc / n); push('mass_finding', mf / n); push('area_cue', ac / n); push('area_finding', af / n);
    push('argmax_in_cue', inC / n); push('argmax_in_finding', inF / n); push('n_probe', n);
    maps.set(a.arm, list);
  }
  return { table: aq.from(rows), maps, probeIds };
}

/**
 * Fig S7 bar rows from spuriousCueExperiment's table: the share of attention mass in the cue's box and in the finding's
 * box for each head, next to the share uniform attention would give (the boxes' area).
 * Columns: region ('brace box' | '<finding> box'), what ('<arm> head' | 'uniform (box area)'), value.
 */
export function spuriousCueMassRows(table: ColumnTable, opts: { finding?: string } = {}): ColumnTable {
  const finding = (opts.finding ?? 'Fracture').toLowerCase();
  const rows = table.objects() as { arm: string; metric: string; value: number }[];
  const out: { region: string; what: string; value: number }[] = [];
  const region = (m: string) => (m.endsWith('cue') ? 'brace box' : `${finding} box`);
  for (const r of rows) {
    if (r.metric === 'mass_cue' || r.metric === 'mass_finding') out.push({ region: region(r.metric), what: `${r.arm} head`, value: r.value });
  }
  for (const m of ['area_cue', 'area_finding']) {
    const r = rows.find((x) => x.metric === m);
    if (r) out.push({ region: region(m), what: 'uniform (box area)', value: r.value });
  }
  if (out.length === 0) throw new Error('spuriousCueMassRows: no mass_* rows (not a spuriousCueExperiment table?)');
  return aq.from(out);
}

/** How much more brace attention the cued head must show than the uncued head to count as "looks at the brace". */
export const CUE_ATTENTION_RATIO = 1.5;

/**
 * The Fig. S7 finding in words, computed from spuriousCueExperiment's table (one model): attention shares, the AUROC drop
 * of each head from validation (cue correlated) to test (cue independent), and whether the maps show the shortcut — the
 * cued head's brace share at least CUE_ATTENTION_RATIO × the uncued head's and above its own finding share.
 */
export function describeSpuriousCue(table: ColumnTable, opts: { finding?: string; cued?: string; uncued?: string } = {}): string {
  const finding = opts.finding ?? 'Fracture', cuedArm = opts.cued ?? 'cued', plainArm = opts.uncued ?? 'uncued';
  const rows = table.objects() as { model: string; arm: string; metric: string; value: number }[];
  const v = (arm: string, metric: string) => rows.find((r) => r.arm === arm && r.metric === metric)?.value ?? NaN;
  const f = (x: number) => x.toFixed(2);
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  const model = rows[0]?.model ?? '?';
  const fl = finding.toLowerCase();
  const cueC = v(cuedArm, 'mass_cue'), finC = v(cuedArm, 'mass_finding'), cueU = v(plainArm, 'mass_cue'), finU = v(plainArm, 'mass_finding');
  const dropC = v(cuedArm, 'auroc_val') - v(cuedArm, 'auroc_test'), dropU = v(plainArm, 'auroc_val') - v(plainArm, 'auroc_test');
  const looksAtCue = cueC > finC && cueC >= CUE_ATTENTION_RATIO * cueU;
  return [
    `${model}: the ${finding} head trained with the planted brace puts ${pct(cueC)} of its attention on the brace and ${pct(finC)} on the ${fl} box`,
    `(the head trained without the cue: ${pct(cueU)} vs ${pct(finU)}; uniform attention would give ${pct(v(cuedArm, 'area_cue'))} vs ${pct(v(cuedArm, 'area_finding'))}).`,
    `Its AUROC falls from ${f(v(cuedArm, 'auroc_val'))} (validation, cue correlated) to ${f(v(cuedArm, 'auroc_test'))} on test where the cue is independent of the label (drop ${f(dropC)}; uncued head: ${f(v(plainArm, 'auroc_val'))} → ${f(v(plainArm, 'auroc_test'))}, drop ${f(dropU)}):`,
    dropC > dropU ? 'the cued head relied on the cue.' : 'no larger drop than without the cue, so no sign that the cued head relied on it.',
    looksAtCue
      ? `The maps reveal the shortcut: the cued head looks at the brace more than at the ${fl}, and ≥ ${CUE_ATTENTION_RATIO}× as much as the uncued head does.`
      : `The maps do NOT show the shortcut clearly here: the cued head's brace share (${pct(cueC)}) is not both above its ${fl} share (${pct(finC)}) and ≥ ${CUE_ATTENTION_RATIO}× the uncued head's (${pct(cueU)}).`,
  ].join(' ');
}
