/**
 * ViT configuration: a zod schema validated at the edge (registry overrides, checkpoint JSON, import inference).
 * Field meanings follow dinov2's `DinoVisionTransformer.__init__` (facebookresearch/dinov2, models/vision_transformer.py).
 */
import { z } from 'zod';

/** How learned position embeddings are resized to another patch grid (both bicubic, align_corners=False, no antialias). */
export const POS_INTERPOLATIONS = ['dinov2', 'hf'] as const;
export type PosInterpolation = (typeof POS_INTERPOLATIONS)[number];

export const ViTConfigSchema = z.object({
  name: z.string().default('custom'),
  /** Input side the position embeddings were learned at (grid = imgSize / patchSize, square). */
  imgSize: z.number().int().positive(),
  patchSize: z.number().int().positive(),
  /** 1 (grey) or 3; a 3-channel model also accepts 1-channel input (patch weights summed over channels = grey replicated). */
  inChans: z.union([z.literal(1), z.literal(3)]),
  dim: z.number().int().positive(),
  depth: z.number().int().positive(),
  heads: z.number().int().positive(),
  /** FFN hidden width (dinov2: int(dim * mlp_ratio)). */
  mlpHidden: z.number().int().positive(),
  numRegisters: z.number().int().nonnegative().default(0),
  /** LayerScale init (dinov2 default 1e-5); null = no LayerScale (gamma absent). */
  layerScaleInit: z.number().positive().nullable().default(1e-5),
  /** LayerNorm epsilon (dinov2 and HF Dinov2: 1e-6). */
  eps: z.number().positive().default(1e-6),
  /** Stochastic depth rate, linearly increasing over blocks like dinov2 (drop_path_uniform=false). */
  dropPathRate: z.number().min(0).max(1).default(0),
  /**
   * 'dinov2': nn.functional.interpolate(scale_factor=(g+0.1)/M) as dinov2's interpolate_pos_encoding (offset 0.1);
   * 'hf': interpolate(size=(gh, gw)) as transformers' Dinov2Embeddings.interpolate_pos_encoding.
   */
  posInterpolation: z.enum(POS_INTERPOLATIONS).default('dinov2'),
  interpolateOffset: z.number().default(0.1),
  /** Normalisation of [0,1] pixels expected by the weights (per input channel). */
  mean: z.array(z.number()).default([0.485, 0.456, 0.406]),
  std: z.array(z.number()).default([0.229, 0.224, 0.225]),
});

export type ViTConfig = z.infer<typeof ViTConfigSchema>;
export type ViTConfigInput = z.input<typeof ViTConfigSchema>;

/** Validates a config; throws naming every bad field. */
export function parseViTConfig(raw: unknown, where = 'ViT config'): ViTConfig {
  const r = ViTConfigSchema.safeParse(raw);
  if (!r.success) {
    throw new Error(`invalid ${where}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const c = r.data;
  if (c.dim % c.heads !== 0) throw new Error(`invalid ${where}: dim ${c.dim} is not divisible by heads ${c.heads}`);
  if (c.imgSize % c.patchSize !== 0) throw new Error(`invalid ${where}: imgSize ${c.imgSize} is not a multiple of patchSize ${c.patchSize}`);
  if (c.mean.length !== c.std.length) throw new Error(`invalid ${where}: mean and std lengths differ`);
  return c;
}

/** The pos-embed grid side learned by the model. */
export function posGrid(c: ViTConfig): number {
  return c.imgSize / c.patchSize;
}
