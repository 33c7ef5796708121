/**
 * lib/data: dataset manifests, real-format parsers, image decoding, preprocessing, patient-level splits.
 *
 * @example
 * import { data } from 'raydino-lab';
 * const ds = await data.loadDataset('nih-chestxray14-sample', { split: 'train' });
 * const batch = await data.loadBatch(ds, ds.table.array('id').slice(0, 8), encoder); // NCHW float32
 */
export type { AgeBin, Box, GreyImage, SampleTable, Sex, Split } from './types';
export { loadDataset, forEachLimit, optionalDataset, SKIP_PREFIX } from './load';
export type { LoadOptions } from './load';
export { checkDataset, summarise, formatReport } from './check';
export type { DataCheckReport, LabelCount } from './check';
export { ManifestSchema, LabelPolicySchema, SplitRuleSchema, PARSER_NAMES, DEFAULT_AGE_BINS, loadManifest, parseManifest, listManifests, manifestPath } from './manifest';
export type { Manifest, LabelPolicy, SplitRule, ParserName, FileSpec } from './manifest';
export { manifestDir, resolveDataRoot, dataRootCandidates, DatasetNotFoundError, ADD_DATA_HINT } from './paths';
export type { RootCandidate } from './paths';
export { resizeBilinear, sampleBilinear, bilinearTaps } from './resize';
export type { BilinearTaps, Size } from './resize';
export { preprocess, loadBatch, resizeGrey, resizeMaskNearest, IMAGENET_MEAN, IMAGENET_STD } from './preprocess';
export type { PreprocessOptions, BatchSpec } from './preprocess';
export { decodeImageBuffer, decodeImageFile, decodeMaskFile, probeImage, isDicom } from './image';
export { decodeDicom, readDicomHeader, readDicomHeaderFile } from './dicom';
export type { DicomHeader } from './dicom';
export { splitGroups, assignSplits, mergeGroups } from './split';
export { ageBin, normaliseAge, normaliseSex } from './demographics';
export { encodeChexpertValue, encodeBinaryValue, multiHot, parsePythonList } from './labels';
export { readCsv, parseCsv, columns } from './csv';
export { readMat, matGet } from './mat';
export type { MatArray } from './mat';
export { fillPolygon } from './polygon';
export { patchRect, intersectionArea, patchOverlap, patchMassInBox, poolPatchGrid } from './patch-grid';
export type { Rect } from './patch-grid';
export { PARSERS } from './parsers';
export { decodeSiimRle } from './parsers/siim';
export { decodeCocoRle } from './parsers/paxray';
export { decodeJsrtRaw } from './parsers/jsrt';
export { label3FromFinding } from './parsers/covid-chestxray';
export type { SampleRecord, ParsedDataset, Problem, ParserContext, Parser } from './record';
export * as synthetic from './synthetic';
export { COBB_TARGETS } from './targets';
