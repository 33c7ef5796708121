/**
 * lib/stats — metrics and tests equal to scipy 1.10 / scikit-learn 1.2 (docs/api/stats.md).
 */
export { UndefinedMetricError } from './errors';
export type { Vector } from './validate';
export { auroc } from './auroc';
export { averagePrecision } from './average-precision';
export { rocCurve } from './roc-curve';
export type { RocCurve } from './roc-curve';
export { prCurve } from './pr-curve';
export type { PrCurve } from './pr-curve';
export { binaryCurve } from './binary-curve';
export type { BinaryCurve } from './binary-curve';
export { toColumns } from './columns';
export { macroAuroc, macroAuprc, binnedMacroAuprc, frequencyBin } from './macro';
export type { MacroResult, AuprcBin, LayoutOption, MultiLabelLayout, FrequencyBin } from './macro';
export { confusionMatrix } from './confusion-matrix';
export type { ConfusionMatrix } from './confusion-matrix';
export { accuracy, balancedAccuracy, balancedAccuracyFromMatrix, perClassRecall } from './accuracy';
export { f1 } from './f1';
export { dice, iou, meanDice, labelMapToMasks } from './dice';
export type { EmptyPolicy } from './dice';
export { pearson } from './pearson';
export { r2, smape } from './regression';
export { bootstrapCI, pairedBootstrapDiff, quantileSorted } from './bootstrap';
export type { BootstrapOptions, BootstrapResult, BootstrapArray, PairedBootstrapResult } from './bootstrap';
export { tTest, pairedTTest, meanVar, tTestFromStats } from './t-test';
export type { TTestResult } from './t-test';
export { mannWhitneyU, mannWhitneyExactCdf, smallestMannWhitneyP } from './mann-whitney';
export type { MannWhitneyOptions, MannWhitneyResult } from './mann-whitney';
export type { Alternative } from './alternative';
export { rankAverage } from './rank';
export { holm, bonferroni } from './p-adjust';
export { formatP } from './format-p';
export * as special from './special';
export { tQuantile } from './special/student-t';
export { groupedVerdicts, verdicts } from './verdict';
export type { Comparison, Verdict, VerdictOptions } from './verdict';
