/**
 * Lungs from synthetic phantoms to real X-rays (paper Fig 4b / S5; our analogue of its synthetic CT-projection → real
 * X-ray transfer): one MaskSource with a single 'lungs' class over several datasets (left + right lung fields merged),
 * and the protocol that trains the lung head on the phantoms and scores it in domain and on every annotated real image.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { GreyImage, SampleTable, Split } from '../../data/types';
import type { Profile } from '../../config/profiles';
import { selectIds } from '../../features/feature-set';
import type { ProtocolInput, ProtocolResult } from '../protocol';
import { allRowFeatures, pyramidFeatures } from './pyramid-features';
import { evalSegmentation, MaskSource, SegPrediction } from './segmentation';

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

/**
 * ProtocolInput with `samples` = the phantoms with left/right lung masks (train, val and the in-domain test split; its
 * features may be given or extracted with `encoder`), & the real set and the segmentation budget.
 */
export type LungTransferInput = ProtocolInput & {
  /** Real X-rays with lung masks: every annotated image is an out-of-domain test image (none is trained on). */
  target: SampleTable;
  /** The profile's segmentation section (lrs, epochs, maxTrain). */
  segmentation: Profile['segmentation'];
  /** Qualitative target examples returned (default 4). */
  qualitative?: number;
  onProgress?: (message: string) => void;
};

export interface LungTransferExtras {
  /** Qualitative out-of-domain examples (real image, predicted lungs, truth), masks in the 'lungs' class only. */
  examples: SegPrediction[];
  /** Learning-rate selection per seed (validation mDice on the source). */
  selection: ColumnTable;
}

/**
 * Fig 4b: one lung segmentation head per seed (evalSegmentation over the merged `lungs` mask, lungMaskSource), trained
 * and lr-selected on the phantoms (`samples`), then scored by the same heads on the phantoms' test split (in-domain) and on every
 * annotated real image (out-of-domain, evalSegmentation's `extraTests`). Rows: metric 'dice', group 'in-domain' |
 * 'out-of-domain', dataset = the test set.
 */
export async function lungTransfer(input: LungTransferInput): Promise<ProtocolResult<LungTransferExtras>> {
  const { samples, target } = input;
  const feats = await pyramidFeatures(input, samples);
  const realIds = await idsWithLungMask(target);
  if (!realIds.length) throw new Error(`lungTransfer: no ${target.dataset} image has a lung mask`);
  const real = selectIds(await allRowFeatures(input, target), realIds, 'test');
  const lungs = lungMaskSource([samples, target]);
  const s = input.segmentation;
  const r = await evalSegmentation({
    model: input.model, task: input.task ?? 'lungs', samples, seeds: input.seeds,
    lrs: s.lrs, epochs: s.epochs, maxTrain: s.maxTrain, qualitative: 0, masks: lungs, features: feats,
    extraTests: [{ dataset: target.dataset, features: real, masks: lungs, qualitative: input.qualitative ?? 4 }],
    onProgress: input.onProgress,
  });
  const rows = (r.table.objects() as Record<string, any>[]).filter((x) => x.metric === 'dice').map((x) => ({
    ...x, group: x.dataset === samples.dataset ? 'in-domain' : 'out-of-domain',
  }));
  return { table: aq.from(rows), predictions: [], extras: { examples: r.extras.extraExamples[target.dataset] ?? [], selection: r.extras.selection } };
}
