/**
 * Segmentation of several mask groups from one encoder's features (paper Fig 2b–2e): the synthetic anatomy's organ /
 * bone groups, a MaskSource that merges mask classes into groups, test samples reordered so the qualitative cases show a
 * finding, and `segmentTasks` — one segmentation head per task on features extracted once.
 */
import type { ColumnTable } from 'arquero';
import type { SampleTable, Split } from '../../data/types';
import type { FeatureSet } from '../../features/feature-set';
import { selectIds } from '../../features/feature-set';
import { splitIds } from '../../features/extract';
import { ProtocolInput, ProtocolResult, seedsOf } from '../protocol';
import { pyramidFeatures } from './pyramid-features';
import type { EvalSegmentationResult, MaskSource } from './segmentation';
import { evalSegmentation, maskSourceFromSampleTable } from './segmentation';

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

/** One segmentation head trained on an encoder's tokens: its masks and which samples it sees. */
export interface SegTask {
  /** The ResultTable `task` (e.g. 'organs', 'pneumothorax'). */
  task: string;
  /** Masks to learn (e.g. groupedMaskSource); default every mask class of the input's `samples`. */
  masks?: MaskSource;
  /**
   * Train, select and test on the samples positive for this label only (SIIM-style lesion segmentation: Dice given
   * the finding is present — a rare finding would otherwise teach the head to predict nothing).
   */
  onlyPositives?: string;
  /** Put the test samples positive for this label first, so the qualitative cases show it (metrics unchanged). */
  positivesFirst?: string;
}

/**
 * ProtocolInput (`samples` = the dataset every task's masks belong to; `task` ignored — each SegTask names its own) & the
 * tasks and the segmentation budget (sizes come from the profile's `segmentation` section).
 */
export type SegmentTasksInput = ProtocolInput & {
  tasks: SegTask[];
  lrs: number[];
  epochs: number;
  maxTrain?: number;
  /** Test cases kept with their masks for the qualitative figures. */
  qualitative: number;
};

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
 * The test ids a SegTask's head is scored on (as segmentTasks selects them): the test split of `samples`, only its
 * positives for `onlyPositives`, in table order.
 */
export function segTaskTestIds(samples: SampleTable, task: Pick<SegTask, 'onlyPositives'>): string[] {
  const ids = splitIds(samples, 'test');   // the rows the test features are extracted for
  return task.onlyPositives ? positiveIds(samples, ids, task.onlyPositives) : ids;
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

/**
 * evalSegmentation for one encoder (e.g. inside Session.compare): features (with the pyramid's blocks) extracted once through
 * the shared cache, then one head per task. Returns the protocol contract: table = every task stacked,
 * extras.seg = each task's full result (qualitative masks, lr selection).
 */
export async function segmentTasks(input: SegmentTasksInput): Promise<ProtocolResult<{ seg: Record<string, EvalSegmentationResult> }>> {
  const { samples, model } = input;
  const seeds = seedsOf(input);
  const all = await pyramidFeatures(input, samples);
  const seg: Record<string, EvalSegmentationResult> = {};
  const tables: ColumnTable[] = [];
  for (const t of input.tasks) {
    let features = all;
    if (t.onlyPositives) {
      const label = t.onlyPositives;
      features = Object.fromEntries((['train', 'val', 'test'] as const).map((s) => {
        const ids = positiveIds(samples, all[s].ids, label);
        if (ids.length === 0) throw new Error(`segmentation ${model}: no ${s} sample of ${samples.dataset} is positive for ${label}`);
        return [s, selectIds(all[s], ids)];
      })) as Record<Split, FeatureSet>;
    }
    if (t.positivesFirst) features = withPositivesFirst(features, samples, t.positivesFirst);
    const r = await evalSegmentation({
      model, task: t.task, samples, features, masks: t.masks,
      seeds, lrs: input.lrs, epochs: input.epochs, maxTrain: input.maxTrain !== undefined && input.maxTrain < features.train.n ? input.maxTrain : undefined,
      qualitative: input.qualitative,
    });
    const secs = (r.extras.selection.array('seconds') as number[]).reduce((a, b) => a + b, 0);
    console.log(`  ${t.task}: ${Math.min(features.train.n, input.maxTrain ?? Infinity)} train images × ${input.epochs} epochs × ${input.lrs.length} lr × ${seeds.length} seed: ${secs.toFixed(1)} s training`);
    seg[t.task] = r;
    tables.push(r.table);
  }
  return { table: tables.reduce((a, b) => a.concat(b)), predictions: [], extras: { seg } };
}
