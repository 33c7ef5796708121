/**
 * Pretraining configuration: a zod schema with typed defaults (the embedded, CPU-sized run) that JSON files override
 * (as dinov2's `configs/ssl_default_config.yaml` + small override files). Keys mirror dinov2's where one exists
 * (see `exportDinov2Config` for the mapping). Lengths are in optimisation steps; `null` step counts default to one
 * epoch of the dataset (⌊count / batchSize⌋ steps), like dinov2's epoch-based settings.
 */
import { z } from 'zod';
import { modelSectionSchema, rangeSchema as range } from '../config/model-schema';
import { configEntryPoints } from '../config/resolve';

const unitRange = range.refine(([a, b]) => a > 0 && b <= 1, 'range must lie in (0, 1]');

export const PretrainConfigSchema = z.object({
  name: z.string().default('pretrain'),
  seed: z.number().int().nonnegative().default(0),
  model: modelSectionSchema({ arch: 'vit_nano', dropPathRate: 0 }),
  data: z.object({
    dataset: z.literal('synthetic-cxr').default('synthetic-cxr'),
    /** Number of training images generated (train split). */
    count: z.number().int().positive().default(1024),
    /** Generated image side in pixels (before cropping). */
    imageSize: z.number().int().positive().default(128),
    /** Populations to draw from; empty = the generator's default multi-population mix. */
    populations: z.array(z.string()).default([]),
    seed: z.number().int().nonnegative().default(0),
  }).strict().default({}),
  crops: z.object({
    globalSize: z.number().int().positive().default(64),
    localSize: z.number().int().positive().default(32),
    nLocal: z.number().int().nonnegative().default(4),
    /** RayDINO: global crops cover ≥ 15 % of the image, local crops ≤ 15 %. */
    globalScale: unitRange.default([0.15, 1]),
    localScale: unitRange.default([0.05, 0.15]),
    hflipProb: z.number().min(0).max(1).default(0),
    solarizeProb: z.number().min(0).max(1).default(0),
    noiseProb: z.number().min(0).max(1).default(0.2),
    /** Brightness and contrast jitter strength (factors drawn in [1 − s, 1 + s]; dinov2's ColorJitter: 0.4). */
    jitter: z.number().min(0).max(1).default(0.4),
    /** Probability of a random gamma (0.7–1.5) per crop. */
    gammaProb: z.number().min(0).max(1).default(0.5),
  }).strict().default({}),
  head: z.object({
    hiddenDim: z.number().int().positive().default(512),
    bottleneckDim: z.number().int().positive().default(128),
    /** Prototypes K (dinov2: 65536; scaled down with the data). */
    prototypes: z.number().int().positive().default(1024),
    /** dinov2 ibot.separate_head (default false: iBOT shares the DINO head). */
    ibotSeparateHead: z.boolean().default(false),
    /**
     * Normalisation of the head's input: 'none' (dinov2), or 'batch' — standardise each feature over the rows the head
     * sees in one call (BatchNorm without affine, batch statistics for student and teacher alike; per shard in
     * data-parallel runs, as BatchNorm without SyncBN). On near-identical images the backbone tokens share one dominant
     * direction, so without it the prototype logits barely differ between images and Sinkhorn-Knopp returns uniform
     * targets from step 0 (docs/pretrain.md, "What made it learn").
     */
    inputNorm: z.enum(['none', 'batch']).default('none'),
  }).strict().default({}),
  dino: z.object({
    lossWeight: z.number().min(0).default(1),
    koleoLossWeight: z.number().min(0).default(0.1),
    /** 'centering' (EMA centre, DINO) or 'sinkhorn_knopp' (DINOv2 §4). */
    centering: z.enum(['centering', 'sinkhorn_knopp']).default('centering'),
    centerMomentum: z.number().min(0).max(1).default(0.9),
  }).strict().default({}),
  ibot: z.object({
    lossWeight: z.number().min(0).default(1),
    maskRatio: range.default([0.1, 0.5]),
    maskSampleProbability: z.number().min(0).max(1).default(0.5),
  }).strict().default({}),
  teacher: z.object({
    momentumTeacher: z.number().min(0).max(1).default(0.992),
    finalMomentumTeacher: z.number().min(0).max(1).default(1),
    warmupTeacherTemp: z.number().positive().default(0.04),
    teacherTemp: z.number().positive().default(0.07),
    warmupTeacherTempSteps: z.number().int().nonnegative().nullable().default(null),
  }).strict().default({}),
  optim: z.object({
    steps: z.number().int().positive().default(300),
    batchSize: z.number().int().min(2).default(16),
    /** dinov2 base_lr, scaled by `scalingRule`. */
    baseLr: z.number().positive().default(0.004),
    /** 'sqrt_wrt_1024' (dinov2 default): lr = baseLr·√(B/1024); 'linear_wrt_1024': baseLr·B/1024; 'none': baseLr. */
    scalingRule: z.enum(['sqrt_wrt_1024', 'linear_wrt_1024', 'none']).default('sqrt_wrt_1024'),
    minLr: z.number().min(0).default(1e-6),
    warmupSteps: z.number().int().nonnegative().nullable().default(null),
    /** Paper "fast setup": 0.04 → 0.4 cosine. */
    weightDecay: z.number().min(0).default(0.04),
    weightDecayEnd: z.number().min(0).default(0.4),
    clipGrad: z.number().positive().default(3.0),
    freezeLastLayerSteps: z.number().int().nonnegative().nullable().default(null),
    studentTemp: z.number().positive().default(0.1),
    beta1: z.number().min(0).max(1).default(0.9),
    beta2: z.number().min(0).max(1).default(0.999),
  }).strict().default({}),
  train: z.object({
    checkpointEvery: z.number().int().positive().default(100),
    /** Log a JSONL line every N steps. */
    logEvery: z.number().int().positive().default(1),
    /**
     * Data-parallel worker threads (data-parallel.ts): 1 = in-process; N ≥ 2 = the batch split into N equal shards
     * (optim.batchSize must be divisible by N), student forward/backward per shard in its own thread, gradients averaged.
     * Part of a run's identity (drop-path draws and KoLeo are per shard); may change on resume.
     */
    workers: z.number().int().min(1).max(8).default(1),
    /**
     * With workers ≥ 2, where the teacher forward runs (data-parallel.ts `TeacherPlacement`): 'sharded' (each worker its
     * shard, as DDP without SyncBN) or 'main' (the whole batch on the main thread). Under `head.inputNorm` 'batch' this
     * decides over which rows the teacher head's BatchNorm standardises: part of a run's identity; may change on resume.
     */
    teacher: z.enum(['sharded', 'main']).default('sharded'),
    /**
     * Shards of one step's batch (gradient accumulation): null = train.workers. S > workers runs the S shards over the
     * workers in turn — the step of a dinov2 run on S GPUs: head BatchNorm and KoLeo per shard, Sinkhorn-Knopp / centring
     * over the whole optim.batchSize, gradients averaged — so an effective batch of hundreds fits 2 cores. Set, it makes
     * the run independent of train.workers (workers then change the speed, not the numbers).
     */
    shards: z.number().int().min(1).max(256).nullable().default(null),
    /** Save the exported teacher backbone as float16. */
    float16: z.boolean().default(true),
  }).strict().default({}),
}).strict().superRefine((c, ctx) => {
  // a warm-up longer than the run never reaches the peak value: almost surely a typo or a steps override that forgot it
  const steps = c.optim.steps;
  const longer = (v: number | null, path: string[]) => {
    if (v !== null && v > steps) ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `${v} is more than optim.steps (${steps}): the warm-up would never end; lower it or raise optim.steps` });
  };
  longer(c.optim.warmupSteps, ['optim', 'warmupSteps']);
  longer(c.teacher.warmupTeacherTempSteps, ['teacher', 'warmupTeacherTempSteps']);
});

export type PretrainConfig = z.output<typeof PretrainConfigSchema>;
export type PretrainConfigInput = z.input<typeof PretrainConfigSchema>;

const entryPoints = configEntryPoints(PretrainConfigSchema, 'pretrain config');
/** Validates overrides on top of the defaults; `where` names the source in errors. */
export const resolvePretrainConfig: (overrides?: unknown, where?: string) => PretrainConfig = entryPoints.resolve;
/** Reads a JSON file of overrides, naming the file when it is missing, not JSON or invalid. */
export const loadPretrainConfig: (file: string) => PretrainConfig = entryPoints.load;

/**
 * Shards each step's batch is split into (train.shards, or one per worker — `workers` when the caller overrides
 * train.workers); the name of the setting that decided it, for errors.
 */
export function shardCount(c: PretrainConfig, workers = c.train.workers): { shards: number; setting: 'train.shards' | 'train.workers' } {
  return c.train.shards === null ? { shards: workers, setting: 'train.workers' } : { shards: c.train.shards, setting: 'train.shards' };
}

/** Steps of one pass over the data (dinov2's epoch, here ⌊count / batch⌋). */
export function epochLength(c: PretrainConfig): number {
  return Math.max(1, Math.floor(c.data.count / c.optim.batchSize));
}

/** The learning rate after dinov2's batch-size scaling rule. */
export function scaledLr(c: PretrainConfig): number {
  const b = c.optim.batchSize;
  switch (c.optim.scalingRule) {
    case 'sqrt_wrt_1024': return c.optim.baseLr * Math.sqrt(b / 1024);
    case 'linear_wrt_1024': return (c.optim.baseLr * b) / 1024;
    default: return c.optim.baseLr;
  }
}
