/**
 * lib/analysis — what the paper notebooks compute on top of results: demographics (Table S2), bias slices of any
 * predictions by any metadata column, ResultTable summaries (summarise.ts), per-class tables, the figures' row shaping and
 * verdict sentences (bias-folds, long-tail, pretrain-logs, report-scores), DINOv2-style PCA colour maps of patch tokens
 * and attention-map helpers (docs/analysis.md).
 */
export { demographicsTable, biasGroupDemographics, formatDemographics, tableS2, tableS2Splits, DEMOGRAPHIC_COLUMNS, BIAS_GROUPS } from './demographics-table';
export type { DemographicsOptions } from './demographics-table';
export { noFindingRule, noFindingFlags, isNoFindingLabel } from './no-finding';
export type { NoFindingRule } from './no-finding';
export { sliceBy, sliceBySet, sliceColumns, SLICE_COLUMNS } from './slice-by';
export type { SliceByOptions, SliceSpec } from './slice-by';
export { compareSlices, COMPARE_COLUMNS } from './compare-slices';
export type { CompareSlicesOptions } from './compare-slices';
export type { SliceOptions, BootstrapSpec } from './slice-plan';
export type { ScoredSet } from './prediction-sets';
export { sliceMetric, SLICE_METRICS } from './slice-metric';
export type { SliceMetric } from './slice-metric';
export { binNames, groupLabels, MISSING_GROUP, OUT_OF_RANGE_GROUP } from './group-rows';
export type { GroupOptions } from './group-rows';
export { summariseBy, summariseSeeds, pValuesVsReference, finiteMoments, SUMMARY_COLUMNS } from './summarise';
export type { SummariseByOptions, SummariseOptions, PValueOptions } from './summarise';
export { perClassTable } from './per-class-table';
export type { PerClassOptions } from './per-class-table';
export { fitPca, projectPca } from './pca';
export type { Pca } from './pca';
export { patchPcaMap, featurePcaMap } from './patch-pca-map';
export type { PatchPcaMap, PatchPcaOptions } from './patch-pca-map';
export { pcaMapImage, pcaMapPng } from './pca-map-image';
export type { RgbaImage, PcaMapImageOptions } from './pca-map-image';
export { attentionToImage } from './attention-image';
export { maxAttentionPatch } from './max-attention-patch';
export type { MaxPatch } from './max-attention-patch';
export * from './seed-bars';
export * from './skipped-classes';
export * from './seg-sets';
export * from './transfer';
export * from './roc-confusion';
export * from './cobb-table';
export * from './best-model';
export * from './pinpointing';
export * from './spurious-cue';
export * from './scaling';
export { biasFoldRows, biasFoldTable, biasMatrix, biasPAnnotations, describeAgeBias, describeSexBias, parsePair, sameVsOtherTrained } from './bias-folds';
export { binSizes, chanceAuprc, findingLabels, frequencyRows, groupBars, prevalenceFloor } from './long-tail';
export { checkpointProbeFindings, checkpointProbes, collapseVerdicts, healthCurves, logCurves, logSummary, pretrainLogs, splitConstantSeries, HEALTH_TERMS, LOSS_TERMS, SCHEDULES } from './pretrain-logs';
export type { LogSeries, LoggedEncoder } from './pretrain-logs';
export { compareWriters, highlightDifferences, pairedVerdict, scoreReports, IMAGE_USE_MIN_GAIN, REPORT_METRICS } from './report-scores';
export type { PairedRow, ScoreRow } from './report-scores';
export { testBootstrapBars } from './test-bootstrap';
export type { TestBootstrapOptions } from './test-bootstrap';
