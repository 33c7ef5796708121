/**
 * ViT weights on disk.
 *  - Our checkpoints ('raydino'): safetensors in dinov2 naming AND PyTorch layout (loadable by dinov2 with
 *    `load_state_dict`), the resolved config in `__metadata__.raydino_config` and in `<file>.json` beside it; float32 or
 *    float16 storage.
 *  - Imports: 'dinov2' (import-dinov2.ts) and 'hf' (import-hf.ts) state dicts; the architecture is read from shapes.
 * Unknown, missing and mis-shaped keys are reported together in one error.
 *
 * @example
 * const vit = loadViT('rad-dino.safetensors', { format: 'hf' });   // or 'auto'
 * saveViT(vit, 'ckpt/student.safetensors', { float16: true });
 */
import * as fs from 'fs';
import type { NdArray } from '../io/dtype';
import { float32ToFloat16 } from '../io/float16';
import { asFloat32 } from '../io/npy';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { parseViTConfig, ViTConfig, ViTConfigInput } from './config';
import { inferDinov2Config, normaliseDinov2Keys } from './import-dinov2';
import { hfToDinov2, looksLikeHf } from './import-hf';
import { paramSpecs } from './params';
import { ViT } from './vit';

export const WEIGHT_FORMATS = ['auto', 'raydino', 'dinov2', 'hf'] as const;
export type WeightFormat = (typeof WEIGHT_FORMATS)[number];

const LINEAR = /^blocks\.\d+\.(attn\.(qkv|proj)|mlp\.fc[12])\.weight$/;

/** PyTorch shape of a parameter stored in our layout with shape `ours`. */
export function torchShape(key: string, ours: number[], c: ViTConfig): number[] {
  if (key === 'patch_embed.proj.weight') return [c.dim, c.inChans, c.patchSize, c.patchSize];
  if (LINEAR.test(key)) return [ours[1], ours[0]];
  return ours;
}

function transpose2d(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

/** PyTorch layout → ours (`torch` has PyTorch's shape). */
export function fromTorchLayout(key: string, data: Float32Array, torch: number[]): Float32Array {
  if (key === 'patch_embed.proj.weight') return transpose2d(data, torch[0], data.length / torch[0]); // [D, C·p·p] → [C·p·p, D]
  if (LINEAR.test(key)) return transpose2d(data, torch[0], torch[1]);
  return data;
}

/** Ours → PyTorch layout (`ours` has our shape). */
export function toTorchLayout(key: string, data: Float32Array, ours: number[]): Float32Array {
  if (key === 'patch_embed.proj.weight' || LINEAR.test(key)) return transpose2d(data, ours[0], ours[1]);
  return data;
}

export interface StateDictOptions {
  format?: WeightFormat;
  /** Head count (not readable from shapes); default dim / 64, or the checkpoint's config for 'raydino'. */
  heads?: number;
  /** Config fields to override after inference (e.g. mean/std, posInterpolation, name). */
  overrides?: Partial<ViTConfigInput>;
  /** Name used in error messages (file path). */
  where?: string;
}

/** Detects the naming of a state dict. */
export function detectFormat(keys: string[], metadata: Record<string, string> = {}): Exclude<WeightFormat, 'auto'> {
  if (metadata.raydino_config) return 'raydino';
  return looksLikeHf(keys) ? 'hf' : 'dinov2';
}

/** Builds a ViT from a state dict (any supported naming). */
export function vitFromStateDict(input: Map<string, NdArray>, opts: StateDictOptions & { metadata?: Record<string, string> } = {}): ViT {
  const where = opts.where ?? 'state dict';
  const format = !opts.format || opts.format === 'auto' ? detectFormat([...input.keys()], opts.metadata) : opts.format;
  let tensors: Map<string, NdArray>;
  let config: ViTConfig;
  if (format === 'hf') {
    tensors = hfToDinov2(input, where).tensors;
    config = parseViTConfig({ ...inferDinov2Config(tensors, where, opts.heads), posInterpolation: 'hf', ...opts.overrides }, `${where} config`);
  } else {
    tensors = normaliseDinov2Keys(input).tensors;
    if (format === 'raydino') {
      const raw = opts.metadata?.raydino_config;
      if (!raw) throw new Error(`${where}: no raydino_config in the safetensors metadata (not a raydino checkpoint; try --format dinov2)`);
      const saved = JSON.parse(raw) as ViTConfigInput;
      config = parseViTConfig({ ...saved, ...(opts.heads ? { heads: opts.heads } : {}), ...opts.overrides }, `${where} config`);
    } else {
      config = parseViTConfig({ ...inferDinov2Config(tensors, where, opts.heads), ...opts.overrides }, `${where} config`);
    }
  }
  return new ViT(config, 0, checkAndConvert(tensors, config, where));
}

/** Validates keys and shapes against the config (one error listing every problem) and converts to our layout. */
function checkAndConvert(tensors: Map<string, NdArray>, c: ViTConfig, where: string): Map<string, Float32Array> {
  const specs = paramSpecs(c);
  const expected = new Map(specs.map((s) => [s.key, torchShape(s.key, s.shape, c)]));
  const missing = specs.filter((s) => !tensors.has(s.key)).map((s) => s.key);
  const unknown = [...tensors.keys()].filter((k) => !expected.has(k));
  const misshaped: string[] = [];
  for (const [k, shape] of expected) {
    const t = tensors.get(k);
    if (t && t.shape.join(',') !== shape.join(',')) misshaped.push(`${k} [${t.shape}] (expected [${shape}])`);
  }
  // mask_token is optional in inference-only exports; a zero token is what dinov2 initialises it to.
  const missingHard = missing.filter((k) => k !== 'mask_token');
  if (missingHard.length || unknown.length || misshaped.length) {
    const parts = [
      missingHard.length ? `missing keys: ${missingHard.join(', ')}` : '',
      unknown.length ? `unknown keys: ${unknown.join(', ')}` : '',
      misshaped.length ? `mis-shaped keys: ${misshaped.join(', ')}` : '',
    ].filter(Boolean);
    throw new Error(`${where}: weights do not match a ViT (dim ${c.dim}, depth ${c.depth}, patch ${c.patchSize}, ${c.numRegisters} registers): ${parts.join('; ')}`);
  }
  const out = new Map<string, Float32Array>();
  for (const s of specs) {
    const t = tensors.get(s.key);
    if (!t) { out.set(s.key, new Float32Array(s.shape.reduce((a, b) => a * b, 1))); continue; }
    out.set(s.key, fromTorchLayout(s.key, asFloat32(t), t.shape));
  }
  return out;
}

/** Loads a ViT from a .safetensors file (ours, dinov2 or HF naming; `format: 'auto'` detects it). */
export function loadViT(path: string, opts: StateDictOptions = {}): ViT {
  if (!fs.existsSync(path)) throw new Error(`weights file not found: ${path}`);
  const st = readSafetensors(path);
  return vitFromStateDict(st.tensors, { ...opts, metadata: st.metadata, where: path });
}

/** The model's state dict in dinov2 naming and PyTorch layout. */
export function stateDict(vit: ViT, float16 = false): Map<string, NdArray> {
  const out = new Map<string, NdArray>();
  for (const [key, v] of vit.params) {
    const data = toTorchLayout(key, v.dataSync() as Float32Array, v.shape);
    const shape = torchShape(key, v.shape, vit.config);
    out.set(key, float16 ? { dtype: 'float16', shape, data: float32ToFloat16(data) } : { dtype: 'float32', shape, data });
  }
  return out;
}

/** Writes `path` (safetensors, config in metadata) and `path` with `.json` for `.safetensors` (the resolved config). */
export function saveViT(vit: ViT, path: string, opts: { float16?: boolean; metadata?: Record<string, string> } = {}): void {
  const config = JSON.stringify(vit.config);
  writeSafetensors(path, stateDict(vit, opts.float16), { ...opts.metadata, format: 'raydino-vit', raydino_config: config });
  fs.writeFileSync(path.replace(/\.safetensors$/, '') + '.json', JSON.stringify(vit.config, null, 2) + '\n');
}
