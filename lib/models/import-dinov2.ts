/**
 * State dicts in facebookresearch/dinov2 naming (`patch_embed.proj.weight`, `cls_token`, `pos_embed`,
 * `register_tokens`, `mask_token`, `blocks.N.norm1.weight`, `blocks.N.attn.qkv.weight`, `blocks.N.ls1.gamma`,
 * `blocks.N.mlp.fc1.weight`, `norm.weight`, …): key normalisation and config inference from shapes.
 * Accepts training checkpoints whose keys carry `teacher.backbone.` / `student.backbone.` / `backbone.` / `module.`
 * prefixes (only the backbone is kept; the DINO/iBOT heads are ignored) and the chunked-blocks layout
 * `blocks.<chunk>.<N>.…` (dinov2 BlockChunk keeps the global block index N).
 */
import type { NdArray } from '../io/dtype';
import type { ViTConfigInput } from './config';

export interface NormalisedStateDict {
  tensors: Map<string, NdArray>;
  /** Keys dropped on purpose (heads of a training checkpoint), for the report. */
  ignored: string[];
}

const BACKBONE_PREFIXES = ['teacher.backbone.', 'student.backbone.', 'model.backbone.', 'backbone.', 'module.', 'encoder.backbone.'];

/** Strips checkpoint prefixes and un-chunks block indices. */
export function normaliseDinov2Keys(input: Map<string, NdArray>): NormalisedStateDict {
  let keys = [...input.keys()];
  const ignored: string[] = [];
  for (const prefix of BACKBONE_PREFIXES) {
    if (keys.some((k) => k.startsWith(prefix))) {
      // Prefer the teacher when both are present (the teacher is the evaluated model in DINO/DINOv2).
      if (prefix === 'student.backbone.' && keys.some((k) => k.startsWith('teacher.backbone.'))) continue;
      ignored.push(...keys.filter((k) => !k.startsWith(prefix)));
      keys = keys.filter((k) => k.startsWith(prefix));
      const out = new Map<string, NdArray>();
      for (const k of keys) out.set(unchunk(k.slice(prefix.length)), input.get(k)!);
      return { tensors: out, ignored };
    }
  }
  const out = new Map<string, NdArray>();
  for (const k of keys) out.set(unchunk(k), input.get(k)!);
  return { tensors: out, ignored };
}

function unchunk(key: string): string {
  return key.replace(/^blocks\.\d+\.(\d+)\./, 'blocks.$1.');
}

function shapeOf(t: Map<string, NdArray>, key: string, rank: number, where: string): number[] {
  const a = t.get(key);
  if (!a) throw new Error(`${where}: cannot infer the architecture: ${key} is missing`);
  if (a.shape.length !== rank) throw new Error(`${where}: ${key} has shape [${a.shape}], expected rank ${rank}`);
  return a.shape;
}

/**
 * Architecture from the weights' shapes: dim (cls_token), patch size and channels (patch_embed.proj.weight [D, C, p, p]),
 * learned grid (pos_embed [1, 1 + M², D]), depth (highest block index), registers, FFN width, LayerScale presence.
 * Heads cannot be read from shapes: `heads` or dim / 64 (the DINOv2 / ViT convention).
 */
export function inferDinov2Config(t: Map<string, NdArray>, where: string, heads?: number): ViTConfigInput {
  const [D, C, p, p2] = shapeOf(t, 'patch_embed.proj.weight', 4, where);
  if (p !== p2) throw new Error(`${where}: non-square patches ${p}×${p2} are not supported`);
  const pos = shapeOf(t, 'pos_embed', 3, where);
  const M = Math.round(Math.sqrt(pos[1] - 1));
  if (M * M !== pos[1] - 1) throw new Error(`${where}: pos_embed has ${pos[1] - 1} patch positions, not a square grid (or extra tokens)`);
  let depth = 0;
  for (const k of t.keys()) {
    const m = /^blocks\.(\d+)\./.exec(k);
    if (m) depth = Math.max(depth, Number(m[1]) + 1);
  }
  if (depth === 0) throw new Error(`${where}: no blocks.N.* keys found`);
  const hidden = shapeOf(t, 'blocks.0.mlp.fc1.weight', 2, where)[0];
  const h = heads ?? D / 64;
  if (!Number.isInteger(h) || h <= 0) throw new Error(`${where}: dim ${D} is not a multiple of 64: pass the head count (--heads)`);
  if (C !== 1 && C !== 3) throw new Error(`${where}: patch_embed.proj.weight has ${C} input channels (1 or 3 supported)`);
  return {
    imgSize: M * p, patchSize: p, inChans: C as 1 | 3, dim: D, depth, heads: h, mlpHidden: hidden,
    numRegisters: t.get('register_tokens')?.shape[1] ?? 0,
    layerScaleInit: t.has('blocks.0.ls1.gamma') ? 1e-5 : null,
    posInterpolation: 'dinov2',
    ...(C === 1 ? { mean: [0.5], std: [0.25] } : {}),
  };
}
