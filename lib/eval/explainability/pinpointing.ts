/**
 * Explainability by pinpointing (paper Fig. 4e, 4f, S6): the attentive head's per-class attention over patch tokens is a
 * map; for every annotated finding (a sample's box of that class, in the test split) the most-attended patch counts as a
 * hit when it overlaps one of the finding's boxes by at least half the patch's area (half the box's area for boxes
 * smaller than a patch). Accuracy per finding class, then
 * macro over classes; 'pinpointing_chance' is what a uniformly random patch would score (the fraction of hit patches). Selection: the best ATTENTIVE config on validation macro AUROC.
 * The heads score position-centred tokens (head.centreKeys, default true here; lib/adapters/attentive-family): with raw
 * tokens the maps of small frozen ViTs rank patch positions and pinpoint at chance (issue #6; scripts/pinpointing-check.ts).
 * Patch (gy, gx) covers [gx·W/gridW, (gx+1)·W/gridW) × [gy·H/gridH, (gy+1)·H/gridH) of the original W×H image, as the
 * encoder input is the whole image resized to a square (lib/data/preprocess).
 */
import type { Box, SampleTable } from '../../data/types';
import { patchOverlap } from '../../data/patch-grid';
import { selectIds } from '../../features/feature-set';
import type { ProtocolInput, ProtocolResult, Predictions } from '../protocol';
import { resolveFeatures, seedsOf } from '../protocol';
import { fitAndSelect } from '../grid/run';
import { columnOf, labelMatrix } from '../labels';
import { ResultRow, rowMaker, toResultTable } from '../result-table';
import * as aq from 'arquero';

export interface AttentionMap {
  seed: number;
  config: string;
  id: string;
  label: string;
  gridH: number;
  gridW: number;
  /** Attention weights over patches [gridH·gridW], row-major, summing to 1. */
  map: Float32Array;
  /** Most-attended patch (row-major index). */
  argmax: number;
  boxes: Box[];
  imageWidth: number;
  imageHeight: number;
  hit: boolean;
}

/** One annotated finding: a (sample, class) pair with its box(es), in the pixel space of the sample's original image. */
export interface Finding { id: string; label: string; boxes: Box[]; width: number; height: number }

/** The findings of a dataset among `ids` and `labels` (boxes of one sample and class grouped), in box order. */
export async function findingsOf(samples: SampleTable, ids: readonly string[], labels: readonly string[]): Promise<Finding[]> {
  const keep = new Set(ids);
  const grouped = new Map<string, Box[]>();
  for (const b of samples.boxes ?? []) {
    if (!keep.has(b.id) || !labels.includes(b.label)) continue;
    const k = `${b.id}\u0000${b.label}`;
    grouped.set(k, [...(grouped.get(k) ?? []), b]);
  }
  const size = await imageSizes(samples, [...new Set([...grouped.values()].map((bs) => bs[0].id))]);
  return [...grouped.values()].map((bs) => {
    const [width, height] = size.get(bs[0].id) as [number, number];
    return { id: bs[0].id, label: bs[0].label, boxes: bs, width, height };
  });
}

/**
 * The paper's pinpointing test of one map (issue #6 item 7): the most-attended patch (first in row-major order on ties)
 * is a hit when it overlaps one of the finding's boxes by ≥ minOverlap (patchOverlap); `chance` is the fraction of the
 * grid's patches that would be a hit, i.e. the hit probability of a uniformly random patch.
 */
export function pinpoint(map: ArrayLike<number>, gridH: number, gridW: number, f: Finding, minOverlap = 0.5): { argmax: number; hit: boolean; chance: number } {
  const t = gridH * gridW;
  if (map.length !== t) throw new Error(`pinpoint: map has ${map.length} values for a ${gridH}×${gridW} grid (finding ${f.label} of ${f.id})`);
  let argmax = 0;
  for (let p = 1; p < t; p++) if (map[p] > map[argmax]) argmax = p;
  const isHit = (p: number) => f.boxes.some((b) => patchOverlap(p, gridH, gridW, f.width, f.height, b) >= minOverlap);
  let hitPatches = 0;
  for (let p = 0; p < t; p++) if (isHit(p)) hitPatches++;
  return { argmax, hit: isHit(argmax), chance: hitPatches / t };
}

/** Per-class and macro pinpointing accuracy and chance of scored findings (classes without findings left out). */
export function pinpointingAccuracy(scored: readonly { label: string; hit: boolean; chance: number }[]): { byClass: Map<string, { accuracy: number; chance: number; n: number }>; macro: number; macroChance: number } {
  const acc = new Map<string, { hit: number; chance: number; n: number }>();
  for (const s of scored) {
    const a = acc.get(s.label) ?? { hit: 0, chance: 0, n: 0 };
    a.n++; a.chance += s.chance; if (s.hit) a.hit++;
    acc.set(s.label, a);
  }
  const byClass = new Map([...acc].map(([l, a]) => [l, { accuracy: a.hit / a.n, chance: a.chance / a.n, n: a.n }]));
  const v = [...byClass.values()];
  return { byClass, macro: v.reduce((s, x) => s + x.accuracy, 0) / v.length, macroChance: v.reduce((s, x) => s + x.chance, 0) / v.length };
}

export async function evalExplainability(input: ProtocolInput & { minOverlap?: number }): Promise<ProtocolResult<{ maps: AttentionMap[] }>> {
  const s = input.samples;
  const labels = input.labels ?? s.labelNames;
  const c = labels.length;
  const minOverlap = input.minOverlap ?? 0.5;
  const feats = await resolveFeatures(input, ['train', 'val', 'test']);
  if (!feats.train.patches) throw new Error('evalExplainability: features have no patch tokens (attentive pooling needs them)');
  const findings = await findingsOf(s, feats.test.ids, labels);
  if (findings.length === 0) throw new Error(`evalExplainability: dataset ${s.dataset} has no boxes of [${labels.join(', ')}] in its test split`);
  const boxIds = [...new Set(findings.map((f) => f.id))];
  const boxed = selectIds(feats.test, boxIds);
  const rowOf = new Map(boxIds.map((id, i) => [id, i]));
  const lab = (f: typeof feats.train) => labelMatrix(s, f.ids, labels);
  const row = rowMaker({ model: input.model, task: input.task ?? 'explainability', dataset: s.dataset });
  const rows: ResultRow[] = [];
  const maps: AttentionMap[] = [];
  const predictions: Predictions[] = [];
  const t = boxed.gridH * boxed.gridW;
  // only attentive heads have maps: train only those unless configs are given explicitly
  // position-centred keys unless the caller says otherwise (lib/adapters/attentive-family: raw-token maps rank positions)
  const head = { centreKeys: true, ...input.head, grid: input.head?.configs ? input.head.grid : { ...input.head?.grid, poolings: ['attentive' as const] } };
  for (const seed of seedsOf(input)) {
    const sel = await fitAndSelect({ features: feats.train, labels: lab(feats.train) }, { features: feats.val, labels: lab(feats.val) },
      { task: 'multilabel', classes: c, selection: 'auroc', seed, head, allow: (cfg) => cfg.pooling === 'attentive' });
    let att: Float32Array, scores: Float32Array;
    try {
      att = await sel.grid.attention(boxed, sel.best);
      scores = (await sel.grid.predict(boxed, [sel.best]))[sel.best];
    } finally {
      await sel.grid.dispose();
    }
    const scored = findings.map((f) => {
      const i = rowOf.get(f.id) as number, k = labels.indexOf(f.label);
      const map = att.slice((i * c + k) * t, (i * c + k + 1) * t);
      const p = pinpoint(map, boxed.gridH, boxed.gridW, f, minOverlap);
      maps.push({ seed, config: sel.bestName, id: f.id, label: f.label, gridH: boxed.gridH, gridW: boxed.gridW, map, argmax: p.argmax, boxes: f.boxes, imageWidth: f.width, imageHeight: f.height, hit: p.hit });
      return { label: f.label, ...p };
    });
    const acc = pinpointingAccuracy(scored);
    for (const label of labels) {
      const a = acc.byClass.get(label);
      if (!a) continue;
      rows.push(row({ split: 'test', seed, group: label, metric: 'pinpointing_accuracy', value: a.accuracy, config: sel.bestName }));
      rows.push(row({ split: 'test', seed, group: label, metric: 'pinpointing_chance', value: a.chance, config: sel.bestName }));
      rows.push(row({ split: 'test', seed, group: label, metric: 'n_findings', value: a.n, config: sel.bestName }));
    }
    rows.push(row({ split: 'test', seed, group: 'macro', metric: 'pinpointing_accuracy', value: acc.macro, config: sel.bestName }));
    rows.push(row({ split: 'test', seed, group: 'macro', metric: 'pinpointing_chance', value: acc.macroChance, config: sel.bestName }));
    rows.push(row({ split: 'val', seed, group: 'macro', metric: 'auroc', value: sel.valScores[sel.best], config: sel.bestName }));
    predictions.push({ seed, fold: 0, config: sel.bestName, split: 'test', group: 'boxed', ids: boxed.ids, classNames: labels, scores, labels: labelMatrix(s, boxed.ids, labels) });
  }
  return { table: toResultTable(rows), predictions, extras: { maps } };
}

/** Original width × height of each image: the table's width/height columns, else the decoded image. */
async function imageSizes(samples: SampleTable, ids: string[]): Promise<Map<string, [number, number]>> {
  const cols = samples.table.columnNames();
  const ws = cols.includes('width') ? columnOf<number | null>(samples, ids, 'width') : ids.map(() => null);
  const hs = cols.includes('height') ? columnOf<number | null>(samples, ids, 'height') : ids.map(() => null);
  const out = new Map<string, [number, number]>();
  for (let i = 0; i < ids.length; i++) {
    if (ws[i] && hs[i]) out.set(ids[i], [Number(ws[i]), Number(hs[i])]);
    else {
      const img = await samples.loadImage(ids[i]);
      out.set(ids[i], [img.width, img.height]);
    }
  }
  return out;
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
