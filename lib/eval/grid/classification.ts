/**
 * Multi-label classification (paper Fig. 2a): frozen features → head grid → best config on validation macro AUROC →
 * test macro AUROC and per-class AUROC, with a bootstrap 95 % CI of the macro value, per seed.
 *
 * @example
 * const { table, predictions } = await evalClassification({ model: 'raydino-s', samples, features, seeds: [0, 1, 2, 3, 4] });
 */
import { macroAuroc } from '../../stats';
import type { ProtocolInput, ProtocolResult } from '../protocol';
import { multiLabelProtocol } from './multilabel';

export async function evalClassification(input: ProtocolInput): Promise<ProtocolResult> {
  const labels = input.labels ?? input.samples.labelNames;
  return multiLabelProtocol(input, {
    task: 'classification', selection: 'auroc', labels,
    metrics(Y, S) {
      const r = macroAuroc(Y, S, { layout: 'classes' });
      return [
        { group: 'macro', metric: 'auroc', value: r.macro },
        ...labels.map((name, k) => ({ group: name, metric: 'auroc', value: r.perClass[k] })),
      ];
    },
    ci: { metric: 'auroc', fn: (Y, S) => macroAuroc(Y, S, { layout: 'classes' }).macro },
  });
}
