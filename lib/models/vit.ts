/**
 * DINOv2-style Vision Transformer in tfjs (Oquab et al. 2023, "DINOv2", facebookresearch/dinov2
 * models/vision_transformer.py): patch embedding, CLS token, optional register tokens (Darcet et al. 2024), learned
 * position embeddings bicubically interpolated to the input grid, pre-norm blocks with LayerScale, exact-GELU MLP,
 * final LayerNorm (eps 1e-6), seeded drop-path, and a learnable `mask_token` for iBOT masked patches.
 *
 * TRAINING API (stable; used by lib/pretrain):
 *
 *   const vit = createViT('vit_micro', { dropPathRate: 0.1 }, 42);   // registry.ts; or new ViT(config, seed)
 *   const { cls, patches } = vit.forward(x, { training: true, masks, rng });
 *     x        tf.Tensor4D NCHW float32, H and W multiples of patchSize (any size: pos-embed interpolated)
 *     masks    tf.Tensor2D [B, T] float32/bool, 1 = masked patch (replaced by mask_token before the pos embed, as
 *              dinov2's prepare_tokens_with_masks)
 *     rng      Rng (lib/engine/rng) — required when training with dropPathRate > 0 (drop-path keep masks)
 *     returnBlocks   block indices (0-based; negative counts from the end) → `blocks[i]` = final-normed patch tokens
 *                    [B, T, D] after that block (dinov2 get_intermediate_layers(norm=True))
 *     returnAttention → `attention` [B, heads, T]: last block's CLS→patch softmax attention, per head
 *   → { cls [B, D], patches [B, T, D], registers? [B, R, D], blocks?: Tensor3D[], attention?: Tensor3D }
 *   The outputs are new tensors owned by the caller; everything intermediate is disposed (each block runs in its own
 *   tf.tidy). forward is differentiable: use it inside tf.variableGrads / optimizer.minimize.
 *
 *   vit.trainableVariables   tf.Variable[] in a stable order; vit.variableKeys[i] is its dinov2 state-dict key
 *                            (`blocks.0.attn.qkv.weight`, …); vit.params: Map<key, tf.Variable>.
 *                            tf variable names are `${vit.id}/${key}` (tfjs needs globally unique names).
 *                            Layout: Linear weights [in, out], patch_embed.proj.weight [C·p·p, D] (params.ts).
 *   vit.config               the resolved ViTConfig (config.ts)
 *   vit.dispose()            frees variables and cached interpolation matrices
 *   cloneViT(vit)            a deep copy (fresh variables, same values) — the EMA teacher
 *   copyWeights(src, dst)    assigns src's values into dst's variables (same config)
 *   Checkpoints: saveViT / loadViT (weights.ts).
 *
 * @example
 * const vit = createViT('vit_nano');
 * const out = vit.forward(tf.zeros([2, 3, 64, 64]));
 * out.cls.shape; // [2, 96]
 */
import * as tf from '@tensorflow/tfjs-core';
import '../engine/gradients';
import { createRng, Rng } from '../engine/rng';
import { block } from './block';
import { parseViTConfig, posGrid, ViTConfig, ViTConfigInput } from './config';
import { dropPathMask } from './drop-path';
import { layerNorm } from './ops/layer-norm';
import { matMulConstLeft } from './ops/linear';
import { patchEmbed } from './patch-embed';
import { initValues, param, ParamMap, paramSpecs } from './params';
import { posEmbedInterpolationMatrix } from './pos-embed-interpolate';

export interface ForwardOptions {
  training?: boolean;
  masks?: tf.Tensor2D;
  rng?: Rng;
  returnBlocks?: number[];
  returnAttention?: boolean;
}

export interface ViTOutput {
  cls: tf.Tensor2D;
  patches: tf.Tensor3D;
  registers?: tf.Tensor3D;
  blocks?: tf.Tensor3D[];
  attention?: tf.Tensor3D;
}

let nextId = 0;

export class ViT {
  readonly config: ViTConfig;
  readonly id: string;
  readonly params: ParamMap = new Map();
  readonly variableKeys: string[] = [];
  private readonly interp = new Map<string, { k: tf.Tensor2D; kt: tf.Tensor2D } | null>();
  private disposed = false;

  /**
   * Builds a model with seeded random init (dinov2's init scheme), or with the given values (`values`, our layout;
   * keys not given are initialised randomly); 'zeros' skips the random init (used before copying weights in).
   */
  constructor(config: ViTConfigInput | ViTConfig, seed = 0, values?: Map<string, Float32Array> | 'zeros') {
    this.config = parseViTConfig(config);
    this.id = `vit${nextId++}`;
    const rng = createRng(seed);
    for (const spec of paramSpecs(this.config)) {
      const n = spec.shape.reduce((a, b) => a * b, 1);
      let data = values === 'zeros' ? new Float32Array(n) : values?.get(spec.key);
      if (data && data.length !== n) throw new Error(`ViT: value for ${spec.key} has ${data.length} numbers, shape [${spec.shape}] needs ${n}`);
      if (!data) data = initValues(spec, rng.fork(spec.key));
      // tf.variable copies its initial value: dispose the temporary so a created-then-disposed model leaves nothing
      const init = tf.tensor(data, spec.shape, 'float32');
      const v = tf.variable(init, true, `${this.id}/${spec.key}`);
      init.dispose();
      this.params.set(spec.key, v);
      this.variableKeys.push(spec.key);
    }
  }

  get trainableVariables(): tf.Variable[] {
    return this.variableKeys.map((k) => this.params.get(k)!);
  }

  /** Total parameter count. */
  get numParams(): number {
    return this.trainableVariables.reduce((a, v) => a + v.size, 0);
  }

  /** Patch grid for an input of H×W pixels. */
  grid(h: number, w: number): [number, number] {
    return [Math.floor(h / this.config.patchSize), Math.floor(w / this.config.patchSize)];
  }

  private interpolation(gh: number, gw: number): { k: tf.Tensor2D; kt: tf.Tensor2D } | null {
    const key = `${gh}x${gw}`;
    if (!this.interp.has(key)) {
      const m = posGrid(this.config);
      const k = posEmbedInterpolationMatrix(m, gh, gw, this.config.posInterpolation, this.config.interpolateOffset);
      if (!k) this.interp.set(key, null);
      else {
        const kt = new Float32Array(k.length);
        const R = gh * gw, C = m * m;
        for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) kt[c * R + r] = k[r * C + c];
        this.interp.set(key, tf.tidy(() => ({ k: tf.keep(tf.tensor2d(k, [R, C])), kt: tf.keep(tf.tensor2d(kt, [C, R])) })));
      }
    }
    return this.interp.get(key)!;
  }

  /** Token sequence [B·N, D] (N = 1 + R + T): dinov2 prepare_tokens_with_masks. */
  private prepareTokens(x: tf.Tensor4D, masks?: tf.Tensor2D): tf.Tensor2D {
    const c = this.config;
    const [B, , H, W] = x.shape;
    const [gh, gw] = this.grid(H, W);
    const T = gh * gw, D = c.dim, M = posGrid(c), R = c.numRegisters;
    const interp = this.interpolation(gh, gw); // created outside the tidy below: it is cached
    return tf.tidy(() => {
      let emb = patchEmbed(x, param(this.params, 'patch_embed.proj.weight'), param(this.params, 'patch_embed.proj.bias'), c.patchSize, c.inChans);
      if (masks) {
        if (masks.shape[0] !== B || masks.shape[1] !== T) throw new Error(`ViT: masks [${masks.shape}] do not match [${B}, ${T}] patches`);
        const m = tf.reshape(tf.cast(masks, 'float32'), [B * T, 1]);
        // emb·(1−m) + mask_token·m, written as one fused-friendly expression
        emb = tf.add(emb, tf.mul(m, tf.sub(param(this.params, 'mask_token'), emb)));
      }
      const pos = param<tf.Tensor3D>(this.params, 'pos_embed');
      let patchPos = tf.reshape(tf.slice(pos, [0, 1, 0], [1, M * M, D]), [M * M, D]) as tf.Tensor2D;
      if (interp) patchPos = matMulConstLeft(interp.k, interp.kt, patchPos);
      const patches = tf.add(tf.reshape(emb, [B, T, D]), tf.reshape(patchPos, [1, T, D]));
      // Batch-broadcasts as ones[B,1]·row[1,K] (tfjs-wasm implements broadcastTo with the slow Tile kernel, which has no
      // registered gradient either).
      const ones = tf.ones([B, 1]) as tf.Tensor2D;
      const onesT = tf.ones([1, B]) as tf.Tensor2D;
      const expand = (row: tf.Tensor, k: number) => tf.reshape(matMulConstLeft(ones, onesT, tf.reshape(row, [1, k * D]) as tf.Tensor2D), [B, k, D]);
      const parts: tf.Tensor[] = [expand(tf.add(param(this.params, 'cls_token'), tf.slice(pos, [0, 0, 0], [1, 1, D])), 1)];
      if (R > 0) parts.push(expand(param(this.params, 'register_tokens'), R));
      parts.push(patches);
      return tf.reshape(tf.concat(parts, 1), [B * (1 + R + T), D]);
    });
  }

  forward(x: tf.Tensor4D, opts: ForwardOptions = {}): ViTOutput {
    if (this.disposed) throw new Error('ViT: forward after dispose');
    if (x.rank !== 4) throw new Error(`ViT: input must be NCHW rank 4, got [${x.shape}]`);
    const c = this.config;
    const [B, , H, W] = x.shape;
    const [gh, gw] = this.grid(H, W);
    const T = gh * gw, R = c.numRegisters, N = 1 + R + T, D = c.dim;
    const training = opts.training ?? false;
    if (training && c.dropPathRate > 0 && !opts.rng) throw new Error('ViT: training with dropPathRate > 0 needs opts.rng (seeded drop-path)');
    const want = new Map<number, number>();
    (opts.returnBlocks ?? []).forEach((b, i) => {
      const idx = b < 0 ? c.depth + b : b;
      if (!Number.isInteger(idx) || idx < 0 || idx >= c.depth) throw new Error(`ViT: returnBlocks ${b} is outside 0..${c.depth - 1}`);
      want.set(i, idx);
    });
    return tf.tidy(() => {
      let h = this.prepareTokens(x, opts.masks);
      const normed = (t: tf.Tensor2D) => layerNorm(t, param(this.params, 'norm.weight'), param(this.params, 'norm.bias'), c.eps);
      const blockOut = new Map<number, tf.Tensor3D>();
      let probs: tf.Tensor4D | undefined;
      for (let i = 0; i < c.depth; i++) {
        // linear stochastic-depth schedule over blocks (dinov2: [x.item() for x in torch.linspace(0, rate, depth)])
        const rate = training && c.dropPathRate > 0 ? (c.depth === 1 ? c.dropPathRate : (c.dropPathRate * i) / (c.depth - 1)) : 0;
        const drop: [tf.Tensor2D | null, tf.Tensor2D | null] = rate > 0
          ? [dropPathMask(opts.rng!, B, N, rate), dropPathMask(opts.rng!, B, N, rate)] : [null, null];
        const keepAttention = opts.returnAttention === true && i === c.depth - 1;
        const prev = h;
        const r = block(h, this.params, i, { batch: B, tokens: N, heads: c.heads, eps: c.eps, drop, keepAttention });
        h = r.x;
        if (prev !== h) prev.dispose(); // free the previous residual stream as soon as possible (wasm heap)
        drop.forEach((d) => d?.dispose());
        if (r.probs) probs = r.probs;
        if ([...want.values()].includes(i)) {
          blockOut.set(i, tf.tidy(() => tf.slice(tf.reshape(normed(h), [B, N, D]), [0, 1 + R, 0], [B, T, D]) as tf.Tensor3D));
        }
      }
      const out3 = tf.reshape(normed(h), [B, N, D]) as tf.Tensor3D;
      const result: ViTOutput = {
        cls: tf.reshape(tf.slice(out3, [0, 0, 0], [B, 1, D]), [B, D]) as tf.Tensor2D,
        patches: tf.slice(out3, [0, 1 + R, 0], [B, T, D]) as tf.Tensor3D,
      };
      if (R > 0) result.registers = tf.slice(out3, [0, 1, 0], [B, R, D]) as tf.Tensor3D;
      if (want.size) result.blocks = [...want.values()].map((i) => blockOut.get(i)!);
      if (probs) result.attention = tf.reshape(tf.slice(probs, [0, 0, 0, 1 + R], [B, c.heads, 1, T]), [B, c.heads, T]) as tf.Tensor3D;
      return result as unknown as tf.TensorContainer;
    }) as unknown as ViTOutput;
  }

  /** Current values in our layout (copies), keyed by state-dict name. */
  values(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const k of this.variableKeys) out.set(k, this.params.get(k)!.dataSync() as Float32Array);
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.params.values()) v.dispose();
    for (const e of this.interp.values()) { e?.k.dispose(); e?.kt.dispose(); }
    this.interp.clear();
  }
}

/** A deep copy with fresh variables (e.g. the EMA teacher of DINO). */
export function cloneViT(src: ViT): ViT {
  const dst = new ViT(src.config, 0, 'zeros');
  copyWeights(src, dst);
  return dst;
}

/** dst ← src, variable by variable (configs must have the same parameter shapes). */
export function copyWeights(src: ViT, dst: ViT): void {
  for (const k of dst.variableKeys) {
    const s = src.params.get(k);
    const d = dst.params.get(k)!;
    if (!s) throw new Error(`copyWeights: source has no ${k}`);
    if (s.shape.join() !== d.shape.join()) throw new Error(`copyWeights: ${k} is [${s.shape}] in the source, [${d.shape}] in the destination`);
    d.assign(s);
  }
}
