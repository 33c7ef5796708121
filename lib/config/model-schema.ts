/**
 * Schema pieces the run configs share (pretraining, the supervised baseline): a [lo, hi] range, and the `model` section —
 * a registered ViT, its drop-path rate and architecture overrides (tests use tiny models). Each config keeps its own
 * defaults; the shape and the checks live here once.
 */
import { z } from 'zod';

/** A closed numeric range [lo, hi] with lo ≤ hi. */
export const rangeSchema = z.tuple([z.number(), z.number()]).refine(([a, b]) => a <= b, 'range must be [lo, hi] with lo ≤ hi');

/** The `model` section of a run config, with that config's default architecture and drop-path rate. */
export function modelSectionSchema(defaults: { arch: string; dropPathRate: number }) {
  return z.object({
    /** A name from lib/models/registry (vit_nano, vit_micro, vit_tiny, vit_small, …). */
    arch: z.string().default(defaults.arch),
    dropPathRate: z.number().min(0).max(1).default(defaults.dropPathRate),
    /** Architecture overrides on top of the registry entry (tests use tiny models). */
    overrides: z.object({
      dim: z.number().int().positive(), depth: z.number().int().positive(), heads: z.number().int().positive(),
      mlpHidden: z.number().int().positive(), patchSize: z.number().int().positive(), imgSize: z.number().int().positive(),
    }).partial().strict().default({}),
  }).strict().default({});
}
