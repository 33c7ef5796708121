/**
 * Image panels of segmentation results (paper Fig 2c, 2d, S5): image | attention | predicted | truth rows, organ
 * overlays, and predicted vs true lungs on real X-rays for one or several encoders.
 */
import type { GreyImage } from '../data/types';
import type { AttentionMap } from '../eval/explainability/pinpointing';
import type { SegPrediction } from '../eval/dense/segmentation';
import { LUNG_CLASS } from '../eval/dense/lung-transfer';
import type { KeyEntry, Panel } from './panel-grid';
import type { MaskOverlay } from './xray';

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

/** The colour key of organOverlayPanels (renderGrid's `key`): each class of `groups` in its overlay colour. */
export function organKey(groups: Readonly<Record<string, readonly string[]>>, colors: Readonly<Record<string, string>> = ORGAN_COLORS): KeyEntry[] {
  return [...new Set(Object.values(groups).flat())].map((label) => {
    if (!colors[label]) throw new Error(`organKey: no overlay colour for '${label}' (have ${Object.keys(colors).join(', ')})`);
    return { label, color: colors[label] };
  });
}

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
