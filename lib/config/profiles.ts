/**
 * Run profiles: `quick` (CI and first runs: embedded synthetic data, small models, minutes on 2 cores) and `full`
 * (the paper's protocol sizes). Selected by RAYDINO_PROFILE (default quick); notebooks never hard-code sizes, they read
 * `getProfile()`.
 *
 * A profile is a set of sections (`profile.data`, `profile.eval`, …). Each section is one zod schema with a value per
 * profile, so an area adds its knobs by adding one `section(...)` entry to `SECTIONS` below; `Profile` is inferred.
 *
 * @example
 * const p = getProfile();                       // RAYDINO_PROFILE or 'quick'
 * const q = getProfile('full', { eval: { bootstrapN: 200 } });
 * p.data.imageSize; p.eval.bootstrapN;
 */
import { z } from 'zod';
import { availableCores } from './cores';
import { gridOptionsSchema } from './grid-options';
import { REG_LR_GRID, REG_LR_GRID_QUICK, SEG_LR_GRID, SEG_LR_GRID_QUICK } from './lr-grids';
import { DeepPartial, deepMerge, formatIssues } from './resolve';
import { DEFAULT_ENCODER_PRECISION, encoderPrecisionSchema } from './encoder-precision';

export const PROFILE_NAMES = ['quick', 'full'] as const;
export const ProfileNameSchema = z.enum(PROFILE_NAMES);
export type ProfileName = z.infer<typeof ProfileNameSchema>;

interface Section<S extends z.ZodTypeAny> { schema: S; values: Record<ProfileName, z.input<S>> }
function section<S extends z.ZodTypeAny>(schema: S, values: Record<ProfileName, z.input<S>>): Section<S> {
  return { schema, values };
}

const int = (min = 0) => z.number().int().min(min);
const cores = availableCores();

/** Every section of a profile. Add yours here: `name: section(z.object({...}), { quick: {...}, full: {...} })`. */
export const SECTIONS = {
  /** Engine-wide: the root seed (children derived with rng.fork(key)) and worker threads for data-parallel work. */
  run: section(z.object({ seed: int(), workers: int(1) }).strict(), {
    quick: { seed: 0, workers: Math.min(2, cores) },
    full: { seed: 0, workers: cores },
  }),
  /** Data: synthetic phantom counts per split and the image side fed to encoders. */
  data: section(z.object({
    imageSize: int(16), nTrain: int(1), nVal: int(1), nTest: int(1), populations: int(1),
  }).strict(), {
    quick: { imageSize: 64, nTrain: 1200, nVal: 300, nTest: 600, populations: 2 },
    full: { imageSize: 224, nTrain: 8000, nVal: 1000, nTest: 2000, populations: 4 },
  }),
  /**
   * Encoders: the ViT size (lib/models registry name), patch size, extraction batch, and the precision our ViTs run in
   * on ONNX Runtime (int8 = integer block linears, lib/models/onnx-export; docs/bench.md §int8 has the measurements).
   */
  encoder: section(z.object({ model: z.string().min(1), patchSize: int(1), batchSize: int(1), precision: encoderPrecisionSchema }).strict(), {
    quick: { model: 'vit_tiny', patchSize: 16, batchSize: 16, precision: DEFAULT_ENCODER_PRECISION },
    full: { model: 'vit_small', patchSize: 16, batchSize: 32, precision: DEFAULT_ENCODER_PRECISION },
  }),
  /** Pre-training (DINO + iBOT + KoLeo). */
  pretrain: section(z.object({ steps: int(1), batchSize: int(1), lr: z.number().positive(), warmupSteps: int() }).strict(), {
    quick: { steps: 200, batchSize: 16, lr: 5e-4, warmupSteps: 20 },
    full: { steps: 20000, batchSize: 64, lr: 5e-4, warmupSteps: 1000 },
  }),
  /** Evaluation and statistics: bootstrap resamples for CIs, folds (paper: 20 for the sex-bias test), repeat seeds. */
  eval: section(z.object({
    bootstrapN: int(1), ciLevel: z.number().gt(0).lt(1), folds: int(2), seeds: z.array(int()).min(1), epochs: int(1),
    /** Adapter grid: a subset of the paper's 156 configs in quick, all of them ({}) in full. */
    grid: gridOptionsSchema,
  }).strict(), {
    quick: {
      bootstrapN: 200, ciLevel: 0.95, folds: 5, seeds: [0, 1, 2], epochs: 20,
      grid: { lrs: [1e-3, 1e-2, 1e-1], wds: [0, 1e-4], layers: [1, 2], poolings: ['avg', 'attentive'] },
    },
    full: { bootstrapN: 1000, ciLevel: 0.95, folds: 20, seeds: [0, 1, 2, 3, 4], epochs: 100, grid: {} },
  }),
  /** Segmentation heads (UperNet-lite, paper's 9-lr grid in full) and the Cobb-angle regression head. */
  segmentation: section(z.object({
    lrs: z.array(z.number().positive()).min(1), epochs: int(1), maxTrain: int(1), regLrs: z.array(z.number().positive()).min(1), regEpochs: int(1),
  }).strict(), {
    quick: { lrs: [...SEG_LR_GRID_QUICK], epochs: 20, maxTrain: 512, regLrs: [...REG_LR_GRID_QUICK], regEpochs: 30 },
    full: { lrs: [...SEG_LR_GRID], epochs: 100, maxTrain: 2000, regLrs: [...REG_LR_GRID], regEpochs: 100 },
  }),
  /** Figures: PNG pixel scale over the SVG size. */
  figures: section(z.object({ pngScale: z.number().positive() }).strict(), {
    quick: { pngScale: 1.5 },
    full: { pngScale: 3 },
  }),
  /** Benchmarks (raydino bench, notebook 00): square matmul sides, timed repeats, worker-scaling work (tasks × one matmul). */
  bench: section(z.object({
    matmulSizes: z.array(int(1)).min(1), repeats: int(1), workerTasks: int(1), workerMatmulSize: int(1),
  }).strict(), {
    quick: { matmulSizes: [512, 1024], repeats: 3, workerTasks: 12, workerMatmulSize: 1024 },
    full: { matmulSizes: [256, 512, 1024, 2048], repeats: 10, workerTasks: 48, workerMatmulSize: 1024 },
  }),
};

type Sections = typeof SECTIONS;
/** A resolved profile: its name plus every section's parsed value. */
export type Profile = { name: ProfileName } & { [K in keyof Sections]: z.output<Sections[K]['schema']> };
/** Overrides accepted by getProfile: any subset of any section. */
export type ProfileOverrides = DeepPartial<Omit<Profile, 'name'>>;

/** The profile name from RAYDINO_PROFILE (default 'quick'); throws naming the variable on a bad value. */
export function profileFromEnv(env: Record<string, string | undefined> = process.env): ProfileName {
  const v = env.RAYDINO_PROFILE?.trim() || 'quick';
  const r = ProfileNameSchema.safeParse(v);
  if (!r.success) throw new Error(`invalid RAYDINO_PROFILE: ${v} (expected ${PROFILE_NAMES.join(' or ')})`);
  return r.data;
}

/**
 * Resolves a profile: the named one (default RAYDINO_PROFILE, else 'quick'), with optional overrides deep-merged and
 * every section validated. Overrides may also come as JSON in RAYDINO_PROFILE_OVERRIDES (applied first).
 */
export function getProfile(name?: ProfileName | string, overrides?: ProfileOverrides): Profile {
  const n = name === undefined ? profileFromEnv() : profileFromEnv({ RAYDINO_PROFILE: name });
  let envOver: Record<string, unknown> = {};
  const raw = process.env.RAYDINO_PROFILE_OVERRIDES;
  if (raw) {
    let parsed: unknown;
    try { parsed = JSON.parse(raw); } catch (e) { throw new Error(`invalid RAYDINO_PROFILE_OVERRIDES (not JSON): ${(e as Error).message}`); }
    // deepMerge lets a non-object replace nothing, so 5, "x" or [..] would otherwise be dropped without a word
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`invalid RAYDINO_PROFILE_OVERRIDES: ${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw} is ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`}, expected a JSON object of sections, e.g. '{"eval":{"bootstrapN":50}}'`);
    }
    envOver = parsed as Record<string, unknown>;
  }
  const over = deepMerge(envOver, overrides ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(over)) {
    if (!(k in SECTIONS)) throw new Error(`invalid profile override: unknown section '${k}' (sections: ${Object.keys(SECTIONS).join(', ')})`);
  }
  const out: Record<string, unknown> = { name: n };
  const problems: string[] = [];
  for (const [key, sec] of Object.entries(SECTIONS) as [string, Section<z.ZodTypeAny>][]) {
    const r = sec.schema.safeParse(deepMerge(sec.values[n], over[key]));
    if (r.success) out[key] = r.data;
    else problems.push(formatIssues(`profile ${n}.${key}`, r.error));
  }
  if (problems.length) throw new Error(`invalid profile:\n${problems.join('\n')}`);
  return out as Profile;
}

/** Names of the sections a profile has (for docs and tests). */
export function profileSections(): string[] {
  return Object.keys(SECTIONS);
}
