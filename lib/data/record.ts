/** What a parser hands to loadDataset: plain per-image records, before splitting and table building. */
import type { Box, GreyImage, Sex, Split } from './types';
import type { LabelPolicy, Manifest } from './manifest';

export interface Problem { id: string; file: string; row?: number; reason: string }

export interface SampleRecord {
  id: string;
  /** Absolute image path (null for generated images). */
  path: string | null;
  patient: string;
  study: string;
  view: string | null;
  sex: Sex | null;
  age: number | null;
  /** Split from the dataset's own split files (rule 'official'); otherwise assigned by split.ts. */
  split?: Split | null;
  /** Patients that must stay together (e.g. known cross-patient duplicates); defaults to `patient`. */
  group?: string;
  width: number | null;
  height: number | null;
  /** 1 / 0 / NaN per label name. */
  labels: Record<string, number>;
  /** Multi-class index into classNames (NaN / undefined = none). */
  class?: number;
  /** Regression targets by name. */
  targets?: Record<string, number>;
  /** Extra dataset-specific columns kept in the table (e.g. covid's finding, label3). */
  extra?: Record<string, string | number | null>;
  /** Provenance, for problems. */
  file?: string;
  line?: number;
}

export interface ParsedDataset {
  records: SampleRecord[];
  labelNames: string[];
  classNames?: string[];
  targetNames?: string[];
  maskClasses?: string[];
  boxes?: Box[];
  problems: Problem[];
  /** Custom decoder (e.g. JSRT raw .IMG); default: decodeImageFile(record.path). */
  decode?(record: SampleRecord): Promise<GreyImage>;
  /** Custom readability check for verify 'decode' (e.g. JSRT raw size); default: probeImage(record.path). */
  probe?(record: SampleRecord): Promise<void>;
  /** Masks per maskClasses entry, original image size. */
  masks?(record: SampleRecord): Promise<(Uint8Array | null)[]>;
}

export interface LoadOptions {
  /** Data root (overrides the manifest's root and $RAYDINO_DATA_ROOT). */
  root?: string;
  /** Keep only this split (validation may be the training set: see SplitRule.val). */
  split?: Split;
  /** Throw on the first problem (missing/corrupt image, bad row) instead of listing it. */
  strict?: boolean;
  /** Override the manifest's label policy. */
  labelPolicy?: Partial<LabelPolicy>;
  /** Override the split seed. */
  seed?: number;
  /** Image verification at load: 'exists' (stat, default), 'decode' (read the header of every image), 'none'. */
  verify?: 'exists' | 'decode' | 'none';
  /** For parser 'synthetic': overrides merged into the manifest's generator options. */
  generator?: Record<string, unknown>;
}

export interface ParserContext {
  manifest: Manifest;
  /** Absolute data root. */
  root: string;
  policy: LabelPolicy;
  options: LoadOptions;
  /** Absolute path of a manifest file entry; throws if the key is not in the manifest. */
  file(key: string): string;
  /** Whether an optional file entry is present on disk. */
  has(key: string): boolean;
  /** Record a problem, or throw it when strict. */
  problem(p: Problem): void;
}

export type Parser = (ctx: ParserContext) => Promise<ParsedDataset>;
