/**
 * Bias across demographic groups (paper Fig. 4c, 4d, Table S2): for each fold, equal-size random subsets of every group
 * (sex F / M / All, or age Young / Middle / Elder) are drawn from train, val and test; a head grid trained on group g1
 * (selected on g1's validation subset) is tested on every group g2 → a groups × groups matrix of macro AUROC per fold.
 * Equal sizes remove the sample-size confound; 'All' is a random subset of every sample of the same size.
 * Mann-Whitney U (two-sided) compares fold distributions: per test group, between train groups; per train group, between
 * test groups.
 * Rows: fold f, group 'train=<g1>|test=<g2>', metric 'auroc'; fold -1, group '<a> vs <b>|test=<g2>' or
 * 'train=<g1>|<a> vs <b>', metrics 'mannwhitney_u' and 'mannwhitney_p'.
 */
import { columnsOf } from '../../adapters/grid/selection-metric';
import { createRng, Rng } from '../../engine/rng';
import type { FeatureSet } from '../../features/feature-set';
import { selectIds } from '../../features/feature-set';
import { macroAuroc, mannWhitneyU } from '../../stats';
import type { ProtocolInput, ProtocolResult, Predictions } from '../protocol';
import { resolveFeatures, seedsOf } from '../protocol';
import { fitAndSelect } from './run';
import { columnOf, labelMatrix } from '../labels';
import { ResultRow, rowMaker, toResultTable } from '../result-table';

export const ALL_GROUP = 'All';

export interface BiasInput extends ProtocolInput {
  /** Metadata column: 'sex' or 'age_bin' (any categorical column works). */
  attribute: string;
  /** Groups (default: sex → F, M, All; age_bin → Young, Middle, Elder). */
  groups?: string[];
  /** Folds (the paper: 20). */
  folds?: number;
  /** Samples per group subset in train (default: the smallest group's size); val/test use their own smallest size. */
  subsetSize?: number;
}

export function defaultGroups(attribute: string): string[] {
  if (attribute === 'sex') return ['F', 'M', ALL_GROUP];
  if (attribute === 'age_bin') return ['Young', 'Middle', 'Elder'];
  throw new Error(`evalBias: give groups for attribute '${attribute}'`);
}

/** Equal-size subsets of one split per group, drawn with `rng`. */
function groupSubsets(input: BiasInput, f: FeatureSet, groups: string[], rng: Rng, size?: number): Map<string, string[]> {
  const values = columnOf<string | null>(input.samples, f.ids, input.attribute);
  const members = new Map(groups.map((g) => [g, g === ALL_GROUP ? [...f.ids] : f.ids.filter((_, i) => values[i] === g)]));
  const smallest = Math.min(...groups.filter((g) => g !== ALL_GROUP).map((g) => (members.get(g) as string[]).length));
  const n = Math.min(size ?? smallest, smallest);
  if (!(n > 1)) throw new Error(`evalBias: ${f.split} split of ${input.samples.dataset} has ${n} samples in the smallest '${input.attribute}' group (${groups.join(', ')})`);
  return new Map(groups.map((g) => [g, rng.shuffle(members.get(g) as string[]).slice(0, n)]));
}

export async function evalBias(input: BiasInput): Promise<ProtocolResult> {
  const labels = input.labels ?? input.samples.labelNames;
  const c = labels.length;
  const groups = input.groups ?? defaultGroups(input.attribute);
  const folds = input.folds ?? 20;
  const feats = await resolveFeatures(input, ['train', 'val', 'test']);
  const row = rowMaker({ model: input.model, task: input.task ?? `bias-${input.attribute}`, dataset: input.samples.dataset });
  const rows: ResultRow[] = [];
  const predictions: Predictions[] = [];
  const data = (f: FeatureSet, ids: string[]) => ({ features: selectIds(f, ids), labels: labelMatrix(input.samples, ids, labels) });
  for (const seed of seedsOf(input)) {
    const byPair = new Map<string, number[]>();
    for (let fold = 0; fold < folds; fold++) {
      const rng = createRng(seed).fork(`bias-fold-${fold}`);
      const tr = groupSubsets(input, feats.train, groups, rng.fork('train'), input.subsetSize);
      const va = groupSubsets(input, feats.val, groups, rng.fork('val'));
      const te = groupSubsets(input, feats.test, groups, rng.fork('test'));
      const tests = groups.map((g) => ({ g, ...data(feats.test, te.get(g) as string[]) }));
      for (const g1 of groups) {
        const sel = await fitAndSelect(data(feats.train, tr.get(g1) as string[]), data(feats.val, va.get(g1) as string[]),
          { task: 'multilabel', classes: c, selection: 'auroc', seed: seed * 1000 + fold, head: input.head });
        try {
          for (const t of tests) {
            const scores = (await sel.grid.predict(t.features, [sel.best]))[sel.best];
            const auc = macroAuroc(columnsOf(t.labels, t.features.n, c), columnsOf(scores, t.features.n, c), { layout: 'classes' }).macro;
            const group = `train=${g1}|test=${t.g}`;
            rows.push(row({ split: 'test', seed, fold, group, metric: 'auroc', value: auc, config: sel.bestName }));
            byPair.set(group, [...(byPair.get(group) ?? []), auc]);
            predictions.push({ seed, fold, config: sel.bestName, split: 'test', group, ids: t.features.ids, classNames: labels, scores, labels: t.labels });
          }
        } finally {
          await sel.grid.dispose();
        }
      }
    }
    if (folds < 2) continue;
    const mw = (a: number[], b: number[], group: string) => {
      const r = mannWhitneyU(a.filter(Number.isFinite), b.filter(Number.isFinite), { alternative: 'two-sided' });
      rows.push(row({ split: 'test', seed, fold: -1, group, metric: 'mannwhitney_u', value: r.U }));
      rows.push(row({ split: 'test', seed, fold: -1, group, metric: 'mannwhitney_p', value: r.p }));
    };
    for (let i = 0; i < groups.length; i++) for (let j = i + 1; j < groups.length; j++) {
      const [a, b] = [groups[i], groups[j]];
      for (const g of groups) {
        mw(byPair.get(`train=${a}|test=${g}`) as number[], byPair.get(`train=${b}|test=${g}`) as number[], `${a} vs ${b}|test=${g}`);
        mw(byPair.get(`train=${g}|test=${a}`) as number[], byPair.get(`train=${g}|test=${b}`) as number[], `train=${g}|${a} vs ${b}`);
      }
    }
  }
  return { table: toResultTable(rows), predictions, extras: {} };
}
