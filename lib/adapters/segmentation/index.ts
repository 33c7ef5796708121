/** Segmentation adapter on frozen multi-block tokens: feature pyramid + UperNet-lite + FCN auxiliary head, Dice loss. */
export { SegHead, SegHeadConfigSchema, resolveSegHeadConfig } from './seg-head';
export type { SegHeadConfig, SegHeadConfigInput, SegForward } from './seg-head';
export { FeaturePyramid, pyramidGeometry } from './feature-pyramid';
export type { PyramidGeometry } from './feature-pyramid';
export { UperHead } from './uper-head';
export { FcnHead } from './fcn-head';
export { diceLoss, diceLossWithGrad } from './dice-loss';
export { trainSegHead, predictSegLogits, SegTrainOptionsSchema } from './seg-trainer';
export type { SegTrainOptions, SegTrainResult } from './seg-trainer';
export { buildSegTargets, allocSegTargets, writeSampleTargets, gatherCoverage, checkSegTokens } from './seg-data';
export type { SegTokens, SegTargets, SampleMasks } from './seg-data';
export { predictedMasks } from './predicted-masks';
export { Resampler, resampleMap } from './resample';
export { bilinearMatrix, areaMatrix } from './resize-matrix';
