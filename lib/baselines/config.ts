/**
 * Configuration of the label-supervised baseline encoder (the analogue of the paper's supervised competitors ARK6 /
 * UniChest): the SAME ViT as the SSL checkpoints, trained with labels (masked multi-label BCE) on ONE population, then
 * frozen like every other encoder. A zod schema with typed defaults (the embedded, CPU-sized run) that JSON files
 * override (one typed source of defaults; lib/config/resolve); the resolved copy is written as `config.json` beside the checkpoint.
 */
import { z } from 'zod';
import { modelSectionSchema, rangeSchema as range } from '../config/model-schema';
import { configEntryPoints } from '../config/resolve';

export const SupervisedConfigSchema = z.object({
  name: z.string().default('supervised'),
  seed: z.number().int().nonnegative().default(0),
  // the SSL checkpoints' architecture by default, so the comparison is like for like
  model: modelSectionSchema({ arch: 'vit_nano', dropPathRate: 0.1 }),
  data: z.object({
    dataset: z.literal('synthetic-cxr').default('synthetic-cxr'),
    /** The ONE population the labels come from (train split for training, val split for model monitoring). */
    population: z.string().default('popA'),
    /** Studies generated in total (all splits). */
    count: z.number().int().positive().default(3000),
    /** Generated image side in pixels (before cropping; the SSL pretraining data uses 128). */
    imageSize: z.number().int().positive().default(128),
    seed: z.number().int().nonnegative().default(1),
    /** Train/val/test fractions of the generator (split by patient). */
    splits: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]).default([0.8, 0.1, 0.1]),
    /** Label columns to train on; empty = every label column of the table. */
    labels: z.array(z.string()).default([]),
  }).strict().default({}),
  augment: z.object({
    /** Network input side (crops are resized to it; validation images are resized whole). */
    inputSize: z.number().int().positive().default(64),
    /** RandomResizedCrop area fraction (light: ≥ 0.6 keeps the whole chest mostly in view). */
    cropScale: range.default([0.6, 1]),
    cropRatio: range.default([3 / 4, 4 / 3]),
    brightness: z.number().min(0).max(1).default(0.1),
    contrast: z.number().min(0).max(1).default(0.1),
    jitterProb: z.number().min(0).max(1).default(0.8),
  }).strict().default({}),
  head: z.object({
    /** Features fed to the linear head: the CLS token, or CLS ‖ mean patch token (DINOv2's linear-probe input). */
    pool: z.enum(['cls', 'cls+mean']).default('cls+mean'),
  }).strict().default({}),
  optim: z.object({
    steps: z.number().int().positive().default(600),
    batchSize: z.number().int().min(1).default(32),
    lr: z.number().positive().default(5e-4),
    minLr: z.number().min(0).default(1e-6),
    /** Linear warm-up steps; null = 10 % of the run. */
    warmupSteps: z.number().int().nonnegative().nullable().default(null),
    weightDecay: z.number().min(0).default(0.05),
    clipGrad: z.number().positive().nullable().default(3.0),
    beta1: z.number().min(0).max(1).default(0.9),
    beta2: z.number().min(0).max(1).default(0.999),
  }).strict().default({}),
  train: z.object({
    checkpointEvery: z.number().int().positive().default(100),
    logEvery: z.number().int().positive().default(1),
    /** Validation macro AUROC every N steps (and after the last step). */
    evalEvery: z.number().int().positive().default(100),
    evalBatchSize: z.number().int().positive().default(64),
    /** Save the backbone as float16. */
    float16: z.boolean().default(true),
    /**
     * Export the backbone (and head) of the evaluation with the highest val macro AUROC instead of the last step's —
     * "trained until validation stops improving"; metrics.json names the step.
     */
    selectBest: z.boolean().default(false),
    /** Stop once this many evaluations in a row have not improved on the best val macro AUROC (null: run every step). */
    patience: z.number().int().positive().nullable().default(null),
    /** Keep the exact-resume `checkpoint.safetensors` (it holds the optimiser moments) after the last step. */
    keepFinalCheckpoint: z.boolean().default(true),
  }).strict().default({}),
}).strict();

export type SupervisedConfig = z.output<typeof SupervisedConfigSchema>;
export type SupervisedConfigInput = z.input<typeof SupervisedConfigSchema>;

const entryPoints = configEntryPoints(SupervisedConfigSchema, 'supervised config');
/** Validates overrides on top of the defaults; `where` names the source in errors. */
export const resolveSupervisedConfig: (overrides?: unknown, where?: string) => SupervisedConfig = entryPoints.resolve;
/** Reads a JSON file of overrides, naming the file when it is missing, not JSON or invalid. */
export const loadSupervisedConfig: (file: string) => SupervisedConfig = entryPoints.load;

/** Warm-up length in steps (null → 10 % of the run). */
export function warmupSteps(c: SupervisedConfig): number {
  return Math.min(c.optim.steps, c.optim.warmupSteps ?? Math.round(0.1 * c.optim.steps));
}
