/**
 * Dataset manifests: one JSON file per dataset under `data-manifests/`, validated at the edge by this zod schema.
 * A manifest says where a dataset comes from (source, access terms, country), which metadata files exist and which
 * parser reads them, the label set and how its raw values are encoded, the tasks it offers, how it is split, and
 * which demographic fields exist. See docs/data.md.
 */
import fs from 'fs';
import path from 'path';
import { z } from 'zod';
import { manifestDir } from './paths';

/** Parsers, one file each under lib/data/parsers/. */
export const PARSER_NAMES = [
  'nih', 'chexpert', 'mimic', 'mimic-lt', 'padchest', 'vindr', 'brax', 'polcovid', 'siim', 'jsrt', 'vindr-rib',
  'paxray', 'aasce', 'ranzcr', 'covid-chestxray', 'synthetic',
] as const;
export type ParserName = (typeof PARSER_NAMES)[number];

/**
 * How to turn raw CheXpert-style values (1 / 0 / -1 / blank) into 1 / 0 / NaN.
 * uncertain (-1): 'zero' (U-Zeros), 'one' (U-Ones), 'ignore' (NaN, masked out of the loss) — Irvin et al. 2019, §4.
 * blank (not mentioned): 'zero' (treated as negative) or 'ignore' (NaN).
 */
export const LabelPolicySchema = z.object({
  uncertain: z.enum(['zero', 'one', 'ignore']).default('ignore'),
  blank: z.enum(['zero', 'ignore']).default('zero'),
}).strict();
export type LabelPolicy = z.infer<typeof LabelPolicySchema>;

export const LABEL_ENCODINGS = [
  'chexpert',       // per-label columns holding 1.0 / 0.0 / -1.0 / blank
  'pipe-list',      // one column of '|'-separated names, or a "none" value (NIH 'No Finding')
  'python-list',    // one column holding a Python list literal (PadChest "['a', 'b']")
  'binary-columns', // per-label 0/1 columns (VinDr, RANZCR, CXR-LT), several readers aggregated by the parser
  'class-column',   // one column naming a single class (multi-class: COVID / pneumonia / normal)
  'derived',        // labels derived by the parser from annotations (e.g. SIIM: pneumothorax = any RLE run)
  'none',           // no image-level labels (segmentation / regression sets)
] as const;

const AgeBinSchema = z.object({ name: z.enum(['Young', 'Middle', 'Elder']), min: z.number(), max: z.number() }).strict();
/** Paper's age groups: Young [0, 35), Middle [35, 60), Elder [60, 100]. */
export const DEFAULT_AGE_BINS: z.infer<typeof AgeBinSchema>[] = [
  { name: 'Young', min: 0, max: 35 }, { name: 'Middle', min: 35, max: 60 }, { name: 'Elder', min: 60, max: 100 },
];

const FileSpecSchema = z.object({
  /** Relative to the data root. */
  path: z.string().min(1),
  /** `<parser>.<reader>`: the function that reads this file (e.g. `nih.dataEntry`). */
  reader: z.string().min(1),
  description: z.string().optional(),
  optional: z.boolean().default(false),
}).strict();
export type FileSpec = z.infer<typeof FileSpecSchema>;

const FractionsSchema = z.object({ train: z.number().min(0).max(1), val: z.number().min(0).max(1), test: z.number().min(0).max(1) })
  .strict()
  .refine((f) => Math.abs(f.train + f.val + f.test - 1) < 1e-6, { message: 'train + val + test must sum to 1' });

/**
 * Split rules. 'official': the parser reads the dataset's own split files; if the official split has no validation
 * set, `valFraction` of the training PATIENTS is carved out (seeded). 'patient': seeded split by patient with
 * `fractions` (default 80/10/10). 'parity': odd-numbered images train, even-numbered test (JSRT folds).
 * `val: 'train'` means the validation set IS the training set (JSRT's "train-as-val": too small to hold out).
 */
export const SplitRuleSchema = z.object({
  rule: z.enum(['official', 'patient', 'parity']),
  fractions: FractionsSchema.default({ train: 0.8, val: 0.1, test: 0.1 }),
  valFraction: z.number().min(0).max(1).optional(),
  seed: z.number().int().default(0),
  val: z.enum(['own', 'train']).default('own'),
  note: z.string().optional(),
}).strict();
export type SplitRule = z.infer<typeof SplitRuleSchema>;

const TasksSchema = z.object({
  multilabel: z.array(z.string()).optional(),
  multiclass: z.object({ classes: z.array(z.string()).min(2) }).strict().optional(),
  segmentation: z.object({ classes: z.array(z.string()).min(1), note: z.string().optional() }).strict().optional(),
  boxes: z.object({ classes: z.array(z.string()).min(1), note: z.string().optional() }).strict().optional(),
  regression: z.object({ targets: z.array(z.string()).min(1), note: z.string().optional() }).strict().optional(),
}).strict();

export const ManifestSchema = z.object({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1),
  description: z.string().min(1),
  citation: z.string().min(1),
  source: z.object({
    url: z.string().min(1),
    access: z.string().min(1),
    licence: z.string().min(1),
    redistribution: z.boolean(),
  }).strict(),
  country: z.string().min(1),
  parser: z.enum(PARSER_NAMES),
  /** Data root RELATIVE TO THE PROJECT ROOT, only for data shipped beside the repo (e.g. ../shared/data/real/...). */
  root: z.string().nullable().optional(),
  /** Folder name under $RAYDINO_DATA_ROOT (default: the id). */
  dir: z.string().optional(),
  files: z.record(FileSpecSchema),
  images: z.object({
    dir: z.string().optional(),
    format: z.enum(['png8', 'png16', 'jpeg', 'dicom', 'raw12be', 'mixed', 'generated']),
    note: z.string().optional(),
  }).strict(),
  labels: z.object({
    names: z.array(z.string()),
    encoding: z.enum(LABEL_ENCODINGS),
    policy: LabelPolicySchema.default({}),
    /** Raw spelling → canonical label name (e.g. NIH boxes' 'Infiltrate' → 'Infiltration'). */
    aliases: z.record(z.string()).optional(),
    note: z.string().optional(),
  }).strict(),
  tasks: TasksSchema,
  split: SplitRuleSchema,
  demographics: z.object({
    sex: z.string().nullable(),
    age: z.string().nullable(),
    ageBins: z.array(AgeBinSchema).default(DEFAULT_AGE_BINS),
    note: z.string().optional(),
  }).strict(),
  /** Value of the `population` column (country/site), used by generalisation and bias protocols. */
  population: z.string().min(1),
  /** Expected sizes of the full dataset (documentation; `raydino data check` compares). */
  counts: z.object({ images: z.number().int().optional(), patients: z.number().int().optional(), note: z.string().optional() }).strict().optional(),
  /** Parser-specific options (documented in the parser's file). */
  options: z.record(z.unknown()).optional(),
  /** For parser 'synthetic': the SyntheticOptions passed to loadSynthetic. */
  generator: z.record(z.unknown()).optional(),
}).strict().superRefine((m, ctx) => {
  if (m.parser === 'synthetic' && !m.generator) ctx.addIssue({ code: 'custom', path: ['generator'], message: "required when parser is 'synthetic'" });
  for (const [k, f] of Object.entries(m.files)) {
    if (!f.reader.startsWith(`${m.parser}.`)) ctx.addIssue({ code: 'custom', path: ['files', k, 'reader'], message: `must be '${m.parser}.<reader>'` });
  }
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** Format zod issues as `field 'a.b': message` lines. */
function formatIssues(err: z.ZodError): string {
  return err.issues.map((i) => `field '${i.path.join('.') || '(root)'}': ${i.message}`).join('; ');
}

/** Validate a parsed JSON object; throws `invalid manifest <where>: field '…': …`. */
export function parseManifest(json: unknown, where = '(object)'): Manifest {
  const r = ManifestSchema.safeParse(json);
  if (!r.success) throw new Error(`invalid manifest ${where}: ${formatIssues(r.error)}`);
  return r.data;
}

/** A manifest id (looked up in data-manifests/) or a path to a .json file. */
export function manifestPath(idOrPath: string): string {
  if (idOrPath.endsWith('.json') || idOrPath.includes('/') || idOrPath.includes(path.sep)) return path.resolve(idOrPath);
  return path.join(manifestDir(), `${idOrPath}.json`);
}

export function loadManifest(idOrPath: string): Manifest {
  const file = manifestPath(idOrPath);
  if (!fs.existsSync(file)) {
    throw new Error(`unknown dataset manifest '${idOrPath}' (${file} does not exist; known: ${listManifests().join(', ')})`);
  }
  let json: unknown;
  try { json = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { throw new Error(`invalid manifest ${file}: not JSON (${(e as Error).message})`); }
  return parseManifest(json, file);
}

/** Ids of the shipped manifests. */
export function listManifests(): string[] {
  const dir = manifestDir();
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}
