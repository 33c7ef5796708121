/** Cobb-angle regression adapter: multi-head attentive pooling over patch tokens + linear, AASCE SMAPE loss. */
export { CobbHead, CobbHeadConfigSchema } from './cobb-head';
export type { CobbHeadConfig, CobbHeadConfigInput, CobbForward, TargetScale } from './cobb-head';
export { AttentivePool } from './attentive-pool';
export { smapeLossWithGrad, aasceSmape } from './smape-loss';
export { trainCobbHead, predictCobb, targetScale, RegTrainOptionsSchema } from './reg-trainer';
export type { RegTokens, RegTrainOptions } from './reg-trainer';
