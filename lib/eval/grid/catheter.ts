/**
 * Catheter / tube position (paper Fig. 3c, RANZCR CLiP style): the device-position labels ('ETT - Normal',
 * 'CVC - Borderline', …) as a multi-label task; best config on validation macro AUPRC; test AUPRC per label and
 * macro-averaged per position category (Normal / Borderline / Abnormal).
 */
import { macroAuprc } from '../../stats';
import type { ProtocolInput, ProtocolResult } from '../protocol';
import { multiLabelProtocol } from './multilabel';

export const POSITION_CATEGORIES = ['Normal', 'Borderline', 'Abnormal'] as const;

/** The label names ending in ' - Normal' / ' - Borderline' / ' - Abnormal'. */
export function deviceLabels(labelNames: readonly string[]): string[] {
  return labelNames.filter((n) => POSITION_CATEGORIES.some((p) => n.endsWith(` - ${p}`)));
}

export async function evalCatheter(input: ProtocolInput): Promise<ProtocolResult> {
  const labels = input.labels ?? deviceLabels(input.samples.labelNames);
  if (labels.length === 0) throw new Error(`evalCatheter: dataset ${input.samples.dataset} has no device-position labels ('<device> - Normal|Borderline|Abnormal')`);
  return multiLabelProtocol(input, {
    task: 'catheter', selection: 'auprc', labels,
    metrics(Y, S) {
      const r = macroAuprc(Y, S, { layout: 'classes' });
      const rows = [{ group: 'macro', metric: 'auprc', value: r.macro }];
      for (const cat of POSITION_CATEGORIES) {
        const ks = labels.map((n, k) => (n.endsWith(` - ${cat}`) ? k : -1)).filter((k) => k >= 0 && Number.isFinite(r.perClass[k]));
        rows.push({ group: cat, metric: 'auprc', value: ks.length ? ks.reduce((s, k) => s + r.perClass[k], 0) / ks.length : NaN });
      }
      labels.forEach((n, k) => rows.push({ group: n, metric: 'auprc', value: r.perClass[k] }));
      return rows;
    },
    ci: { metric: 'auprc', fn: (Y, S) => macroAuprc(Y, S, { layout: 'classes' }).macro },
  });
}
