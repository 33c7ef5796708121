/**
 * The protocols by name (the shape of lib/models/registry.ts). The rule every entry follows (./protocol): ONE argument
 * whose type extends ProtocolInput — `ProtocolInput & { its own fields }`, the dataset always as `samples` — and the
 * contract's result { table, predictions, extras }. `Checked` below makes the compiler refuse an entry that breaks it.
 *
 * @example
 * listProtocols(); // ['classification', 'long-tail', …]
 * const r = await getProtocol('classification')({ model: 'raydino-s', samples, features });
 */
import { cobbAngles } from './dense/cobb';
import { lungTransfer } from './dense/lung-transfer';
import { segmentTasks } from './dense/organ-segmentation';
import { evalRegression } from './dense/regression';
import { evalSegmentation } from './dense/segmentation';
import { evalExplainability } from './explainability/pinpointing';
import { spuriousCueExperiment } from './explainability/spurious-cue';
import { evalBias } from './grid/bias';
import { evalCatheter } from './grid/catheter';
import { evalClassification } from './grid/classification';
import { crossPopulation, evalGeneralization } from './grid/generalization';
import { evalLongTail } from './grid/long-tail';
import { covid3Transfer, evalOutOfDomain3Class } from './grid/out-of-domain';
import { classificationAndAuprc, sourceTransfer, taskGroups } from './grid/task-groups';
import type { ProtocolInput, ProtocolResult } from './protocol';

export const PROTOCOLS = {
  // grid protocols: the 156-config head grid on frozen features, best config on validation
  classification: evalClassification,
  'long-tail': evalLongTail,
  catheter: evalCatheter,
  'out-of-domain-3class': evalOutOfDomain3Class,
  'covid3-transfer': covid3Transfer,
  generalization: evalGeneralization,
  'cross-population': crossPopulation,
  'source-transfer': sourceTransfer,
  bias: evalBias,
  'classification-and-auprc': classificationAndAuprc,
  'task-groups': taskGroups,
  // dense protocols: heads on patch tokens over a learning-rate grid
  segmentation: evalSegmentation,
  'segmentation-tasks': segmentTasks,
  'lung-transfer': lungTransfer,
  regression: evalRegression,
  cobb: cobbAngles,
  // explainability: attention maps of attentive heads
  explainability: evalExplainability,
  'spurious-cue': spuriousCueExperiment,
} as const;

export type ProtocolName = keyof typeof PROTOCOLS;

/** `F` when it takes one argument extending ProtocolInput and returns a ProtocolResult; `never` otherwise. */
type TakesProtocolInput<F> = F extends (input: infer I) => Promise<ProtocolResult<unknown>> ? (I extends ProtocolInput ? F : never) : never;
// compile-time check of the rule above: an entry that breaks it is `never`, and this assignment fails
const Checked: { [N in ProtocolName]: TakesProtocolInput<(typeof PROTOCOLS)[N]> } = PROTOCOLS;
void Checked;

export function listProtocols(): ProtocolName[] {
  return Object.keys(PROTOCOLS) as ProtocolName[];
}

/** The protocol registered under `name`; throws naming the registered ones otherwise. */
export function getProtocol<N extends ProtocolName>(name: N): (typeof PROTOCOLS)[N] {
  if (!Object.prototype.hasOwnProperty.call(PROTOCOLS, name)) throw new Error(`unknown protocol ${name} (registered: ${listProtocols().join(', ')})`);
  return PROTOCOLS[name];
}
