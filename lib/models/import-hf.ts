/**
 * Hugging Face `Dinov2Model` / `Dinov2WithRegistersModel` state dicts (the format of RAD-DINO, microsoft/rad-dino)
 * mapped to dinov2 naming: embeddings.{cls_token, mask_token, position_embeddings, register_tokens,
 * patch_embeddings.projection.*}, encoder.layer.N.{norm1, norm2, attention.attention.{query,key,value},
 * attention.output.dense, layer_scale1.lambda1, layer_scale2.lambda1, mlp.fc1, mlp.fc2}, layernorm.*.
 * query/key/value are concatenated into dinov2's fused qkv (same order as dinov2's reshape(B, N, 3, H, d)).
 * A `dinov2.` prefix (Dinov2ForImageClassification) is stripped; its `classifier.*` keys are ignored.
 */
import type { NdArray } from '../io/dtype';
import { asFloat32 } from '../io/npy';

const DIRECT: Array<[RegExp, string]> = [
  [/^embeddings\.cls_token$/, 'cls_token'],
  [/^embeddings\.mask_token$/, 'mask_token'],
  [/^embeddings\.position_embeddings$/, 'pos_embed'],
  [/^embeddings\.register_tokens$/, 'register_tokens'],
  [/^embeddings\.patch_embeddings\.projection\.(weight|bias)$/, 'patch_embed.proj.$1'],
  [/^layernorm\.(weight|bias)$/, 'norm.$1'],
  [/^encoder\.layer\.(\d+)\.norm([12])\.(weight|bias)$/, 'blocks.$1.norm$2.$3'],
  [/^encoder\.layer\.(\d+)\.attention\.output\.dense\.(weight|bias)$/, 'blocks.$1.attn.proj.$2'],
  [/^encoder\.layer\.(\d+)\.layer_scale([12])\.lambda1$/, 'blocks.$1.ls$2.gamma'],
  [/^encoder\.layer\.(\d+)\.mlp\.(fc[12])\.(weight|bias)$/, 'blocks.$1.mlp.$2.$3'],
];
const QKV = /^encoder\.layer\.(\d+)\.attention\.attention\.(query|key|value)\.(weight|bias)$/;

/** True when the keys look like HF Dinov2 naming. */
export function looksLikeHf(keys: Iterable<string>): boolean {
  for (const k of keys) if (/^(dinov2\.)?(embeddings|encoder\.layer)\./.test(k)) return true;
  return false;
}

/** Renames HF keys to dinov2 keys; unknown keys are kept as they are (the loader reports them). */
export function hfToDinov2(input: Map<string, NdArray>, where: string): { tensors: Map<string, NdArray>; ignored: string[] } {
  const out = new Map<string, NdArray>();
  const ignored: string[] = [];
  const qkv = new Map<string, Partial<Record<'query' | 'key' | 'value', NdArray>>>();
  for (const [rawKey, arr] of input) {
    if (/^classifier\./.test(rawKey)) { ignored.push(rawKey); continue; }
    const key = rawKey.replace(/^dinov2\./, '');
    const q = QKV.exec(key);
    if (q) {
      const slot = `blocks.${q[1]}.attn.qkv.${q[3]}`;
      const entry = qkv.get(slot) ?? {};
      entry[q[2] as 'query' | 'key' | 'value'] = arr;
      qkv.set(slot, entry);
      continue;
    }
    const rule = DIRECT.find(([re]) => re.test(key));
    out.set(rule ? key.replace(rule[0], rule[1]) : key, arr);
  }
  for (const [slot, e] of qkv) {
    const parts = [e.query, e.key, e.value];
    if (parts.some((p) => !p)) {
      const missing = (['query', 'key', 'value'] as const).filter((n) => !e[n]);
      throw new Error(`${where}: ${slot} needs query, key and value; missing ${missing.join(', ')}`);
    }
    out.set(slot, concat0(parts as NdArray[], `${where}: ${slot}`));
  }
  return { tensors: out, ignored };
}

/** Concatenation along axis 0 (row-major), converting to float32. */
function concat0(parts: NdArray[], where: string): NdArray {
  const rest = parts[0].shape.slice(1).join(',');
  if (parts.some((p) => p.shape.slice(1).join(',') !== rest)) throw new Error(`${where}: query/key/value shapes differ`);
  const total = parts.reduce((a, p) => a + p.data.length, 0);
  const data = new Float32Array(total);
  let off = 0;
  for (const p of parts) {
    const f = asFloat32(p);
    data.set(f, off);
    off += f.length;
  }
  return { dtype: 'float32', shape: [parts.reduce((a, p) => a + p.shape[0], 0), ...parts[0].shape.slice(1)], data };
}
