/** RayDINO Fig 4c: fold AUROC of heads trained on each sex, tested on each sex, with Mann-Whitney p (lib/analysis/bias-folds). */
import type { ColumnTable } from 'arquero';
import { biasFoldRows, sameVsOtherTrained } from '../analysis/bias-folds';
import { formatP } from '../stats/format-p';
import { smallestMannWhitneyP } from '../stats/mann-whitney';
import type { Spec } from './common';
import { concatSpecs } from './concat';
import { groupStrip } from './group-strip';

/**
 * Fig 4c as the paper: per model, x = the test sex, one box (with the fold points) per training group (same sex, other
 * sex, All as topline), the Mann-Whitney p of same- vs other-sex-trained heads above each test sex. The title states
 * the fold count and the smallest p that many folds can reach.
 */
export function sexBiasFigure(table: ColumnTable, opts: { title?: string; a?: string; b?: string } = {}): Spec {
  const a = opts.a ?? 'F', b = opts.b ?? 'M';
  const folds = biasFoldRows(table, { testGroups: [a, b] }).objects() as Record<string, unknown>[];
  const ann = sameVsOtherTrained(table, { groups: [a, b] }).objects() as Record<string, unknown>[];
  const models = [...new Set(folds.map((r) => String(r.model)))];
  const n = Math.min(...ann.map((r) => Math.min(r.n_same as number, r.n_other as number)));
  const floor = `${n} folds: smallest reachable Mann-Whitney ${formatP(smallestMannWhitneyP(n), { floor: 1e-12 })}`;
  return concatSpecs(models.map((m) => groupStrip(folds.filter((r) => r.model === m), {
    x: 'test_group', color: 'train_group', xTitle: 'tested on', colorTitle: 'trained on',
    annotations: ann.filter((r) => r.model === m), title: m, yTitle: 'macro AUROC (test)',
  })), { title: opts.title ? `${opts.title} · ${floor}` : floor });
}
