/**
 * Explainability by pinpointing (paper Fig. 4e, 4f, S6): the attentive head's per-class attention over patch tokens is a
 * map; for every annotated finding (a sample's box of that class, in the test split) the most-attended patch counts as a
 * hit when it overlaps one of the finding's boxes by at least half the patch's area (half the box's area for boxes
 * smaller than a patch). Accuracy per finding class, then
 * macro over classes; 'pinpointing_chance' is what a uniformly random patch would score (the fraction of hit patches). Selection: the best ATTENTIVE config on validation macro AUROC.
 * Patch (gy, gx) covers [gx·W/gridW, (gx+1)·W/gridW) × [gy·H/gridH, (gy+1)·H/gridH) of the original W×H image, as the
 * encoder input is the whole image resized to a square (lib/data/preprocess).
 */
import type { Box } from '../data/types';
import { selectIds } from '../features/feature-set';
import type { EvalInput, EvalResult, Predictions } from './eval-input';
import { resolveFeatures, seedsOf } from './eval-input';
import { fitAndSelect } from './grid-run';
import { columnOf, labelMatrix } from './labels';
import { ResultRow, rowMaker, toResultTable } from './result-table';

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

/**
 * Area of the patch's intersection with the box, as a fraction of the patch's area — or of the box's area when the box is
 * smaller than the patch (else a finding smaller than half a patch, e.g. a nodule, could never be hit).
 */
export function patchOverlap(patch: number, gridH: number, gridW: number, width: number, height: number, box: Box): number {
  const gy = Math.floor(patch / gridW), gx = patch % gridW;
  const pw = width / gridW, ph = height / gridH;
  const x0 = gx * pw, y0 = gy * ph;
  const ix = Math.max(0, Math.min(x0 + pw, box.x + box.w) - Math.max(x0, box.x));
  const iy = Math.max(0, Math.min(y0 + ph, box.y + box.h) - Math.max(y0, box.y));
  return (ix * iy) / Math.min(pw * ph, Math.max(box.w * box.h, 1e-12));
}

export async function evalExplainability(input: EvalInput & { minOverlap?: number }): Promise<EvalResult & { maps: AttentionMap[] }> {
  const s = input.samples;
  const boxes = s.boxes ?? [];
  const labels = input.labels ?? s.labelNames;
  const c = labels.length;
  const minOverlap = input.minOverlap ?? 0.5;
  const feats = await resolveFeatures(input, ['train', 'val', 'test']);
  if (!feats.train.patches) throw new Error('evalExplainability: features have no patch tokens (attentive pooling needs them)');
  const testIds = new Set(feats.test.ids);
  // findings = (sample, class) pairs with ≥ 1 box, in the test split
  const findings = new Map<string, Box[]>();
  for (const b of boxes) {
    if (!testIds.has(b.id) || !labels.includes(b.label)) continue;
    const k = `${b.id}\u0000${b.label}`;
    findings.set(k, [...(findings.get(k) ?? []), b]);
  }
  if (findings.size === 0) throw new Error(`evalExplainability: dataset ${s.dataset} has no boxes of [${labels.join(', ')}] in its test split`);
  const boxIds = [...new Set([...findings.keys()].map((k) => k.split('\u0000')[0]))];
  const boxed = selectIds(feats.test, boxIds);
  const size = await imageSizes(input, boxIds);
  const lab = (f: typeof feats.train) => labelMatrix(s, f.ids, labels);
  const row = rowMaker({ model: input.model, task: input.task ?? 'explainability', dataset: s.dataset });
  const rows: ResultRow[] = [];
  const maps: AttentionMap[] = [];
  const predictions: Predictions[] = [];
  const t = boxed.gridH * boxed.gridW;
  // only attentive heads have maps: train only those unless configs are given explicitly
  const head = { ...input.head, grid: input.head?.configs ? input.head.grid : { ...input.head?.grid, poolings: ['attentive' as const] } };
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
    const hits = new Map(labels.map((l) => [l, { hit: 0, n: 0, chance: 0 }]));
    for (const [key, bs] of findings) {
      const [id, label] = key.split('\u0000');
      const i = boxed.ids.indexOf(id), k = labels.indexOf(label);
      const map = att.slice((i * c + k) * t, (i * c + k + 1) * t);
      let arg = 0;
      for (let p = 1; p < t; p++) if (map[p] > map[arg]) arg = p;
      const [w, h] = size.get(id) as [number, number];
      const hit = bs.some((b) => patchOverlap(arg, boxed.gridH, boxed.gridW, w, h, b) >= minOverlap);
      const hs = hits.get(label) as { hit: number; n: number; chance: number };
      hs.n++; if (hit) hs.hit++;
      // chance level: the fraction of patches that would count as a hit for this finding (a uniformly random argmax)
      let hitPatches = 0;
      for (let p = 0; p < t; p++) if (bs.some((b) => patchOverlap(p, boxed.gridH, boxed.gridW, w, h, b) >= minOverlap)) hitPatches++;
      hs.chance += hitPatches / t;
      maps.push({ seed, config: sel.bestName, id, label, gridH: boxed.gridH, gridW: boxed.gridW, map, argmax: arg, boxes: bs, imageWidth: w, imageHeight: h, hit });
    }
    let sum = 0, sumChance = 0, m = 0;
    for (const [label, { hit, n, chance }] of hits) {
      if (n === 0) continue;
      rows.push(row({ split: 'test', seed, group: label, metric: 'pinpointing_accuracy', value: hit / n, config: sel.bestName }));
      rows.push(row({ split: 'test', seed, group: label, metric: 'pinpointing_chance', value: chance / n, config: sel.bestName }));
      rows.push(row({ split: 'test', seed, group: label, metric: 'n_findings', value: n, config: sel.bestName }));
      sum += hit / n; sumChance += chance / n; m++;
    }
    rows.push(row({ split: 'test', seed, group: 'macro', metric: 'pinpointing_accuracy', value: sum / m, config: sel.bestName }));
    rows.push(row({ split: 'test', seed, group: 'macro', metric: 'pinpointing_chance', value: sumChance / m, config: sel.bestName }));
    rows.push(row({ split: 'val', seed, group: 'macro', metric: 'auroc', value: sel.valScores[sel.best], config: sel.bestName }));
    predictions.push({ seed, fold: 0, config: sel.bestName, split: 'test', group: 'boxed', ids: boxed.ids, classNames: labels, scores, labels: labelMatrix(s, boxed.ids, labels) });
  }
  return { table: toResultTable(rows), predictions, maps };
}

/** Original width × height of each image: the table's width/height columns, else the decoded image. */
async function imageSizes(input: EvalInput, ids: string[]): Promise<Map<string, [number, number]>> {
  const cols = input.samples.table.columnNames();
  const ws = cols.includes('width') ? columnOf<number | null>(input.samples, ids, 'width') : ids.map(() => null);
  const hs = cols.includes('height') ? columnOf<number | null>(input.samples, ids, 'height') : ids.map(() => null);
  const out = new Map<string, [number, number]>();
  for (let i = 0; i < ids.length; i++) {
    if (ws[i] && hs[i]) out.set(ids[i], [Number(ws[i]), Number(hs[i])]);
    else {
      const img = await input.samples.loadImage(ids[i]);
      out.set(ids[i], [img.width, img.height]);
    }
  }
  return out;
}
