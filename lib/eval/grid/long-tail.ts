/**
 * Long-tailed classification (paper Fig. 3a): best config on validation macro AUPRC; test AUPRC macro-averaged within
 * frequency bins of the TRAINING prevalence — common (> 10 %), uncommon (1–10 %), rare (< 1 %) — plus per class.
 * Rows: group = bin name ('common' | 'uncommon' | 'rare') or class name or 'macro', metric 'auprc'; and one
 * 'train_prevalence' row per class (split 'train') for the frequency plot (Fig. 3b).
 */
import { binnedMacroAuprc, macroAuprc } from '../../stats';
import type { ProtocolInput, ProtocolResult } from '../protocol';
import { prevalence } from '../labels';
import { multiLabelProtocol } from './multilabel';

export async function evalLongTail(input: ProtocolInput & { edges?: number[] }): Promise<ProtocolResult> {
  const labels = input.labels ?? input.samples.labelNames;
  return multiLabelProtocol(input, {
    task: 'long-tail', selection: 'auprc', labels,
    metrics(Y, S, { train, nTrain }) {
      const prev = prevalence(train, nTrain, labels.length);
      const binned = binnedMacroAuprc(Y, S, prev, input.edges ? { layout: 'classes', edges: input.edges, names: input.edges.length === 2 ? ['rare', 'uncommon', 'common'] : undefined } : { layout: 'classes' });
      return [
        { group: 'macro', metric: 'auprc', value: macroAuprc(Y, S, { layout: 'classes' }).macro },
        ...binned.bins.map((b) => ({ group: b.name, metric: 'auprc', value: b.macro })),
        ...labels.map((name, k) => ({ group: name, metric: 'auprc', value: binned.perClass[k] })),
        ...labels.map((name, k) => ({ split: 'train', group: name, metric: 'train_prevalence', value: prev[k] })),
      ];
    },
    ci: { metric: 'auprc', fn: (Y, S) => macroAuprc(Y, S, { layout: 'classes' }).macro },
  });
}
