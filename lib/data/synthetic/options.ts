/**
 * Options of the synthetic generator, validated at the edge (zod). `loadSynthetic` accepts the INPUT shape
 * (everything optional but `variant`/`n`), and the resolved copy is what the cache key hashes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { FINDING_NAMES } from './catalogue';
import { POPULATIONS } from './populations';

const populationId = z.string().refine((s) => s in POPULATIONS, (s) => ({ message: `invalid population: ${s}` }));

/** Populations as `{ popA: 0.7, popB: 0.3 }`, `['popA', 'popB']` (equal mix) or `[{ id, weight }]`. */
const populationsSchema = z
  .union([
    z.record(populationId, z.number().nonnegative()),
    z.array(populationId).nonempty(),
    z.array(z.object({ id: populationId, weight: z.number().nonnegative() })).nonempty(),
  ])
  .transform((p): { id: string; weight: number }[] => {
    const list = Array.isArray(p)
      ? p.map((e) => (typeof e === 'string' ? { id: e, weight: 1 } : e))
      : Object.entries(p).map(([id, weight]) => ({ id, weight }));
    const total = list.reduce((s, e) => s + e.weight, 0);
    if (!(total > 0)) throw new Error('invalid populations: weights sum to 0');
    return list.map((e) => ({ id: e.id, weight: e.weight / total }));
  });

export const SpuriousCueSchema = z.union([
  z.literal('off'),
  z.object({
    finding: z.enum(FINDING_NAMES as [string, ...string[]]).default('Fracture'),
    cue: z.literal('brace').default('brace'),
    /** P(cue | finding) in the cued splits. */
    cooccurrence: z.number().min(0).max(1).default(0.9),
    /** P(cue | no finding) in the cued splits, and P(cue) independent of the label elsewhere. */
    baseRate: z.number().min(0).max(1).default(0.02),
    /** Splits where the cue is correlated with the finding; in the others it is drawn independently of it. */
    splits: z.array(z.enum(['train', 'val', 'test'])).default(['train', 'val']),
  }),
]);

export const SyntheticOptionsSchema = z.object({
  variant: z.enum(['cxr', 'covid3', 'spine']).default('cxr'),
  /** Number of images (studies). */
  n: z.number().int().positive().max(1_000_000),
  /** Square image side in pixels (quick profile: 64–112). */
  size: z.number().int().min(32).max(1024).default(224),
  seed: z.number().int().default(0),
  populations: populationsSchema.default({ popA: 1 }),
  spuriousCue: SpuriousCueSchema.default('off'),
  /** Overrides of target prevalences, e.g. `{ Fracture: 0.1 }` for the spurious-cue demo. */
  prevalence: z.record(z.enum(FINDING_NAMES as [string, ...string[]]), z.number().min(0).max(0.9)).default({}),
  /** Train/val/test fractions, split by patient. */
  splits: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]).default([0.8, 0.1, 0.1]),
  /** Mean number of extra studies per patient (follow-ups), drawn geometric. */
  studiesPerPatient: z.number().min(1).max(10).default(1.4),
  cacheDir: z.string().optional(),
  /** Dataset name reported in the SampleTable. */
  name: z.string().optional(),
});

export type SyntheticOptions = z.input<typeof SyntheticOptionsSchema>;
export type ResolvedSyntheticOptions = z.output<typeof SyntheticOptionsSchema>;
export type SpuriousCue = z.output<typeof SpuriousCueSchema>;

/** Bumped whenever the drawing changes, so stale caches are not reused. */
export const GENERATOR_VERSION = 2;

export function resolveSyntheticOptions(options: SyntheticOptions): ResolvedSyntheticOptions {
  const r = SyntheticOptionsSchema.safeParse(options);
  if (!r.success) {
    // unions ('off' | {...}) report "Invalid input": show the issues of the branch that got furthest instead
    const flat = (issues: z.ZodIssue[]): z.ZodIssue[] => issues.flatMap((i) => {
      if (i.code !== 'invalid_union') return [i];
      const branches = i.unionErrors.map((e) => flat(e.issues));
      return branches.reduce((best, b) => (Math.max(0, ...b.map((x) => x.path.length)) > Math.max(0, ...best.map((x) => x.path.length)) ? b : best), branches[0] ?? [i]);
    });
    const issues = flat(r.error.issues).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`invalid synthetic options: ${issues}`);
  }
  return r.data;
}

/** Default cache folder: <project>/.cache/synthetic (project = nearest folder above this file holding package.json). */
export function defaultCacheDir(): string {
  // lib/data/synthetic (ts-node) or dist/data/synthetic (built): walk up to the package root
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, '.cache', 'synthetic');
    dir = path.dirname(dir);
  }
  return path.resolve(process.cwd(), '.cache', 'synthetic');
}
