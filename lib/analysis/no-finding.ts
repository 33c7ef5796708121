/**
 * Which rows count as "no finding" for the demographics table (paper Table S2's "% no finding"). The rule:
 *   1. If the dataset has a 'No Finding' label column (CheXpert, MIMIC-CXR, the synthetic phantoms; name matched ignoring
 *      case, spaces and underscores), a row is "no finding" when that column is 1. A blank (NaN) is not 1, so it does not
 *      count — as pandas `(df['No Finding'] == 1).mean()`.
 *   2. Otherwise a row is "no finding" when EVERY finding label is 0. A row with an unknown (NaN) label and no positive is
 *      not counted (it may hold a finding) — as pandas `(df[findings] == 0).all(axis=1).mean()`. Finding labels = every
 *      label but 'Support Devices' (a device is not a finding, as in the CheXpert labeler) unless given explicitly.
 * The percentage's denominator is every row of the group.
 */
import type { SampleTable } from '../data/types';

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
export const isNoFindingLabel = (name: string) => squash(name) === 'nofinding';
const isDeviceLabel = (name: string) => /^supportdevices?$/.test(squash(name));

export interface NoFindingRule {
  /** 'column' (rule 1) or 'all-zero' (rule 2); 'none' when the dataset has no multi-label findings. */
  kind: 'column' | 'all-zero' | 'none';
  /** The label column(s) read. */
  labels: string[];
}

/**
 * @param mode 'auto' (default: the column when present), 'column' (require it), 'all-zero' (force rule 2).
 */
export function noFindingRule(samples: SampleTable, mode: 'auto' | 'column' | 'all-zero' = 'auto', findingLabels?: readonly string[]): NoFindingRule {
  const col = samples.labelNames.find(isNoFindingLabel);
  if (mode === 'column' || (mode === 'auto' && col && !findingLabels)) {
    if (!col) throw new Error(`noFindingRule: dataset ${samples.dataset} has no 'No Finding' label (labels: ${samples.labelNames.join(', ')})`);
    return { kind: 'column', labels: [col] };
  }
  const labels = findingLabels ? [...findingLabels] : samples.labelNames.filter((l) => !isNoFindingLabel(l) && !isDeviceLabel(l));
  for (const l of labels) if (!samples.table.columnNames().includes(l)) throw new Error(`noFindingRule: dataset ${samples.dataset} has no label column '${l}'`);
  return labels.length ? { kind: 'all-zero', labels } : { kind: 'none', labels: [] };
}

/** 1 where the row is "no finding" under the rule, per table row. */
export function noFindingFlags(samples: SampleTable, rule: NoFindingRule): Uint8Array {
  const n = samples.table.numRows();
  const out = new Uint8Array(n);
  if (rule.kind === 'none') return out;
  const cols = rule.labels.map((l) => samples.table.array(l) as ArrayLike<number | null>);
  for (let r = 0; r < n; r++) {
    out[r] = rule.kind === 'column' ? (cols[0][r] === 1 ? 1 : 0) : (cols.every((c) => c[r] === 0) ? 1 : 0);
  }
  return out;
}
