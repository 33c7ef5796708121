/**
 * Cobb angles (paper Fig 3e / S3): the regression protocol on a spine set with the profile's regression budget, its
 * angles named PT / MT / TL.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { Profile } from '../../config/profiles';
import type { ProtocolInput, ProtocolResult } from '../protocol';
import { evalRegression, RegAttention } from './regression';

/** Readable angle names for the synthetic-spine targets (AASCE: proximal-thoracic, main-thoracic, thoraco-lumbar). */
export const COBB_NAMES: Record<string, string> = { cobb_pt: 'PT', cobb_mt: 'MT', cobb_tl: 'TL' };

/** ProtocolInput (`samples` = the spine set, targets = its targetNames) & the profile's budget for it. */
export type CobbInput = ProtocolInput & {
  /** The profile's segmentation section: its regression lrs and epochs (`regLrs`, `regEpochs`). */
  segmentation: Profile['segmentation'];
};

/** What only cobbAngles returns: scatter rows (model, seed, id, target, truth, prediction), attention maps, lr selection. */
export interface CobbExtras { scatter: ColumnTable; attention: RegAttention[]; selection: ColumnTable }

/**
 * Fig 3e: evalRegression on a spine set (targets = its targetNames) with the profile's regression lrs / epochs; the
 * result table's `group` renamed to PT / MT / TL.
 */
export async function cobbAngles(input: CobbInput): Promise<ProtocolResult<CobbExtras>> {
  const { segmentation: s, ...rest } = input;
  const r = await evalRegression({ ...rest, lrs: s.regLrs, epochs: s.regEpochs });
  const rename = (g: string) => COBB_NAMES[g] ?? g;
  const table = aq.from((r.table.objects() as Record<string, any>[]).map((x) => ({ ...x, group: rename(x.group) })));
  const scatter = aq.from((r.extras.scatter.objects() as Record<string, any>[]).map((x) => ({ model: x.model, seed: x.seed, id: x.id, target: rename(x.group), truth: x.truth, prediction: x.pred })));
  return { table, predictions: [], extras: { scatter, attention: r.extras.attention, selection: r.extras.selection } };
}
