/**
 * The task groups of the scaling ablation (paper Fig. S1): classification macro AUROC and long-tail macro AUPRC from one
 * head grid, segmentation mDice, run for one encoder with the profile's budgets; and heads trained on one source
 * population tested on others (Fig. S1 bottom).
 */
import type { Profile } from '../../config/profiles';
import { macroAuprc, macroAuroc } from '../../stats';
import type { ProtocolInput, ProtocolResult } from '../protocol';
import { defaultPyramidBlocks, evalSegmentation } from '../dense/segmentation';
import { evalGeneralization } from './generalization';
import { multiLabelProtocol } from './multilabel';

/** One task group of Fig. S1: the protocol's task name, the metric row and group that aggregate it, the axis label. */
export interface TaskGroup { task: string; metric: string; group: string; label: string }

export const TASK_GROUPS: readonly TaskGroup[] = [
  { task: 'classification', metric: 'auroc', group: 'macro', label: 'classification (macro AUROC)' },
  { task: 'classification', metric: 'auprc', group: 'macro', label: 'long-tail (macro AUPRC)' },
  { task: 'segmentation', metric: 'mDice', group: 'all', label: 'segmentation (mDice)' },
];

/**
 * Classification and long-tail from ONE head grid (lib/eval multiLabelProtocol; config selected on validation macro
 * AUROC): test macro AUROC (with its bootstrap CI) and macro AUPRC — the long-tail metric, dominated by the rare
 * findings (evalLongTail selects its own config on AUPRC; sharing the grid halves the cost of the size sweep).
 */
export function classificationAndAuprc(input: ProtocolInput): Promise<ProtocolResult> {
  const labels = input.labels ?? input.samples.labelNames;
  return multiLabelProtocol(input, {
    task: 'classification', selection: 'auroc', labels,
    metrics: (Y, S) => [
      { group: 'macro', metric: 'auroc', value: macroAuroc(Y, S, { layout: 'classes' }).macro },
      { group: 'macro', metric: 'auprc', value: macroAuprc(Y, S, { layout: 'classes' }).macro },
    ],
    ci: { metric: 'auroc', fn: (Y, S) => macroAuroc(Y, S, { layout: 'classes' }).macro },
  });
}

/** ProtocolInput & the profile's segmentation section (lrs, epochs, maxTrain of the mDice group). */
export type TaskGroupsInput = ProtocolInput & { segmentation: Profile['segmentation'] };

/**
 * Runs the task groups of Fig. S1 for one encoder on one dataset (features extracted once through the cache, with the
 * segmentation pyramid's blocks) and stacks their tidy tables. Sizes come from the profile: eval seeds, head grid and
 * epochs (through `input`), segmentation lrs / epochs / maxTrain (`input.segmentation`).
 */
export async function taskGroups(input: TaskGroupsInput): Promise<ProtocolResult> {
  const { segmentation: s, ...grid } = input;
  const cls = await classificationAndAuprc(grid);
  if (!input.encoder) throw new Error(`taskGroups ${input.model}: an encoder is needed for the segmentation features`);
  // the segmentation group extracts its own features, with the pyramid's blocks (given `features` are the grid's)
  const seg = await evalSegmentation({
    model: input.model, samples: input.samples, encoder: input.encoder, cacheDir: input.cacheDir, datasetKey: input.datasetKey,
    extractBatchSize: input.extractBatchSize, blocks: defaultPyramidBlocks(input.encoder.blocks),
    seeds: input.seeds, lrs: s.lrs, epochs: s.epochs, maxTrain: s.maxTrain, qualitative: 0,
  });
  return { table: cls.table.concat(seg.table.select(cls.table.columnNames())), predictions: cls.predictions, extras: {} };
}

/** ProtocolInput & the population the heads are trained on and those they are tested on. */
export type SourceTransferInput = ProtocolInput & { trainPopulation: string; testPopulations: string[] };

/** evalGeneralization with heads trained on `trainPopulation`, tested on every population in `testPopulations`. */
export function sourceTransfer(input: SourceTransferInput): Promise<ProtocolResult> {
  return evalGeneralization({ ...input, task: input.task ?? `train ${input.trainPopulation}` });
}
