/** General tfjs head code shared by the segmentation and regression heads: parameters, dense layers, the epoch loop. */
export { addDense, addParam, paramCount, snapshotParams, disposeParams, matrixDecay, checkGrads } from './params';
export type { ParamStore, Grads } from './params';
export { denseForward, denseBackward, reluBackward } from './dense';
export type { DenseParams } from './dense';
export { warmupLinearLr, runEpochs } from './lr-schedule';
export type { EpochLoopOptions } from './lr-schedule';
