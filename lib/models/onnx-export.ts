/**
 * Export a ViT to ONNX (opset 17) as a ModelProto built with onnx-proto: standard ops only (Conv for the patch
 * embedding, Gemm, MatMul/Add, LayerNormalization (opset 17), Softmax, Erf-based exact GELU, Transpose/Reshape/Gather/Slice/
 * Concat/Expand), weights embedded as initializers, dynamic batch, fixed input size (position embeddings interpolated at
 * export time, exactly as the tfjs forward does). Outputs `cls` [B, D] and `patches` [B, T, D], optionally
 * `block<i>` [B, T, D] (final-normed patch tokens after block i) and `attention` [B, heads, T] (last block CLS→patch).
 * The raydino encoder description (input size, mean/std, patch, dim, …) is stored in metadata_props["raydino"].
 *
 * @example
 * const bytes = exportViTToOnnx(vit, { height: 224, width: 224, blocks: [3, 7] });
 * fs.writeFileSync('encoder.onnx', bytes);
 */
import { onnx } from 'onnx-proto';
import { ONNX_PRECISIONS, type OnnxPrecision } from '../config/encoder-precision';
import { posGrid } from './config';
import { interpolatePosEmbed } from './pos-embed-interpolate';
import type { ViT } from './vit';

export interface OnnxExportOptions {
  height: number;
  width: number;
  /** Input channels of the exported graph (default the model's; 1 on a 3-channel model = grey replicated). */
  channels?: 1 | 3;
  /** Intermediate blocks to output as `block<i>` (0-based). */
  blocks?: number[];
  /** Also output `attention` [B, heads, T]. */
  attention?: boolean;
  /** Also output `last_hidden_state` [B, 1 + R + T, D]: all final-normed tokens, as transformers' Dinov2Model. */
  tokens?: boolean;
  /** Extra metadata_props. */
  metadata?: Record<string, string>;
  /** Write metadata_props["raydino"] (default true; false mimics a third-party export). */
  describe?: boolean;
  /**
   * 'int8': the block linears (qkv, proj, fc1, fc2) hold per-output-channel symmetric int8 weights and quantise their
   * input per batch (DynamicQuantizeLinear → MatMulInteger → rescale; standard opset-17 ops that ONNX Runtime fuses into
   * its u8s8 integer GEMM). The patch embedding, attention matmuls, norms and GELU stay fp32. Default 'fp32'.
   */
  precision?: OnnxPrecision;
}

/** The smallest width at which 'auto' picks int8: vit_tiny (192) and larger. */
export const INT8_AUTO_MIN_DIM = 192;

/**
 * 'auto' resolved for one model: int8 for width ≥ 192 (vit_tiny and up), where int8 ran 1.9× (vit_tiny at 224) and
 * 2.5–3.9× (ViT-S/16 at 224) fp32 with CLS cosine 1.0000 and probe AUROC within 0.002 of fp32. The narrow CPU ViTs
 * (vit_nano, vit_micro at 64 px) stay fp32 although int8 ran 1.4–1.6× there too (interleaved; an earlier sequential
 * measurement under load had 0.85×): they are the embedded checkpoints behind the committed figures, which must not
 * shift; their fp32 extraction already runs at 1,000–2,400 images/s; and their int8 CLS tokens are the least faithful
 * measured (min cosine 0.9995 on the trained vit_nano vs 1.0000 on ViT-S). docs/bench.md §int8 has the numbers.
 */
export function autoPrecision(config: { dim: number }): OnnxPrecision {
  return config.dim >= INT8_AUTO_MIN_DIM ? 'int8' : 'fp32';
}

/** What metadata_props["raydino"] holds: what an encoder needs to feed and read the graph. */
export interface OnnxEncoderDescription {
  name: string;
  height: number;
  width: number;
  channels: 1 | 3;
  mean: number[];
  std: number[];
  patchSize: number;
  dim: number;
  heads: number;
  numRegisters: number;
  blocks: number[];
  attention: boolean;
  /** Absent in graphs written before the int8 path (= 'fp32'). */
  precision?: OnnxPrecision;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const INT8 = onnx.TensorProto.DataType.INT8;

/** Minimal graph builder: unique names, initializers, nodes. */
class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly inits: onnx.ITensorProto[] = [];
  private n = 0;

  float(name: string, data: Float32Array, dims: number[]): string {
    this.inits.push({ name, dataType: FLOAT, dims, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
    return name;
  }

  int64(name: string, values: number[]): string {
    const a = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.inits.push({ name, dataType: INT64, dims: [values.length], rawData: new Uint8Array(a.buffer) });
    return name;
  }

  int8(name: string, data: Int8Array, dims: number[]): string {
    this.inits.push({ name, dataType: INT8, dims, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
    return name;
  }

  /** A scalar int64 initializer (rank 0), e.g. a Gather index that drops the axis. */
  scalarInt64(name: string, value: number): string {
    const a = BigInt64Array.from([BigInt(value)]);
    this.inits.push({ name, dataType: INT64, dims: [], rawData: new Uint8Array(a.buffer) });
    return name;
  }

  scalar(name: string, value: number): string {
    return this.float(name, Float32Array.from([value]), []);
  }

  op(opType: string, inputs: string[], attrs: Record<string, number | number[]> = {}, output?: string): string {
    const out = output ?? `${opType.toLowerCase()}_${this.n++}`;
    const attribute: onnx.IAttributeProto[] = Object.entries(attrs).map(([name, v]) => {
      if (Array.isArray(v)) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v };
      if (Number.isInteger(v) && !['epsilon', 'alpha', 'beta'].includes(name)) return { name, type: onnx.AttributeProto.AttributeType.INT, i: v };
      return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v };
    });
    this.nodes.push({ opType, input: inputs, output: [out], name: `${opType}_${this.nodes.length}`, attribute });
    return out;
  }

  /** A node with several outputs (named `<prefix>_<i>`), e.g. DynamicQuantizeLinear, Split. */
  multi(opType: string, inputs: string[], outputs: number, attrs: Record<string, number> = {}): string[] {
    const base = `${opType.toLowerCase()}_${this.n++}`;
    const out = Array.from({ length: outputs }, (_, i) => `${base}_${i}`);
    const attribute = Object.entries(attrs).map(([name, i]) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i }));
    this.nodes.push({ opType, input: inputs, output: out, name: `${opType}_${this.nodes.length}`, attribute });
    return out;
  }
}

/**
 * Per-output-channel symmetric int8: column j of w [i, o] becomes round(w/s_j) with s_j = max|w[:, j]| / 127 (zero
 * point 0, so MatMulInteger needs no weight zero point and int8 covers −127..127 — never −128, whose product with
 * u8 255 is the one case that could saturate the 16-bit intermediate of non-VNNI kernels).
 */
export function quantizeColumns(w: Float32Array, i: number, o: number): { q: Int8Array; scale: Float32Array } {
  const scale = new Float32Array(o);
  for (let r = 0; r < i; r++) for (let j = 0; j < o; j++) scale[j] = Math.max(scale[j], Math.abs(w[r * o + j]));
  for (let j = 0; j < o; j++) scale[j] = scale[j] > 0 ? scale[j] / 127 : 1;
  const q = new Int8Array(i * o);
  for (let r = 0; r < i; r++) for (let j = 0; j < o; j++) q[r * o + j] = Math.max(-127, Math.min(127, Math.round(w[r * o + j] / scale[j])));
  return { q, scale };
}

function tensorType(dims: Array<number | string>): onnx.ITypeProto {
  return { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } };
}

/** Serialised ONNX model bytes. */
export function exportViTToOnnx(vit: ViT, opts: OnnxExportOptions): Uint8Array {
  const c = vit.config;
  const p = c.patchSize, D = c.dim, H = c.heads, hd = D / H, R = c.numRegisters;
  if (opts.height % p || opts.width % p) throw new Error(`ONNX export: ${opts.height}×${opts.width} is not a multiple of the patch size ${p}`);
  const gh = opts.height / p, gw = opts.width / p, T = gh * gw, N = 1 + R + T, M = posGrid(c);
  const channels = opts.channels ?? c.inChans;
  if (channels !== c.inChans && !(channels === 1 && c.inChans === 3)) throw new Error(`ONNX export: cannot feed ${channels} channels to a ${c.inChans}-channel model`);
  const blocks = (opts.blocks ?? []).map((b) => (b < 0 ? c.depth + b : b));
  for (const b of blocks) if (b < 0 || b >= c.depth) throw new Error(`ONNX export: block ${b} is outside 0..${c.depth - 1}`);
  const v = (key: string) => vit.params.get(key)!.dataSync() as Float32Array;
  const g = new GraphBuilder();
  const precision = opts.precision ?? 'fp32';
  if (!ONNX_PRECISIONS.includes(precision)) throw new Error(`ONNX export: unknown precision ${String(precision)} (${ONNX_PRECISIONS.join(' or ')})`);

  // Patch embedding as Conv: weight [C·p·p, D] (ours) → [D, C, p, p]; a grey input sums the RGB filters.
  const wOurs = v('patch_embed.proj.weight');
  const cin = c.inChans;
  const conv = new Float32Array(D * channels * p * p);
  for (let ci = 0; ci < cin; ci++) {
    for (let k = 0; k < p * p; k++) {
      for (let d = 0; d < D; d++) conv[(d * channels + (channels === cin ? ci : 0)) * p * p + k] += wOurs[(ci * p * p + k) * D + d];
    }
  }
  let x = g.op('Conv', ['pixels', g.float('patch_embed.proj.weight', conv, [D, channels, p, p]), g.float('patch_embed.proj.bias', v('patch_embed.proj.bias'), [D])],
    { kernel_shape: [p, p], strides: [p, p] });
  x = g.op('Transpose', [g.op('Reshape', [x, g.int64('shape_BDT', [0, D, T])])], { perm: [0, 2, 1] }); // [B, T, D]

  const pos = v('pos_embed');
  const patchPos = interpolatePosEmbed(pos.subarray(D), D, M, gh, gw, c.posInterpolation, c.interpolateOffset);
  x = g.op('Add', [x, g.float('pos_embed.patches', patchPos, [1, T, D])]);
  const cls = v('cls_token').map((val, i) => val + pos[i]);
  const batch = g.op('Slice', [g.op('Shape', ['pixels']), g.int64('i0', [0]), g.int64('i1', [1])]);
  const expand = (init: string, rows: number) => g.op('Expand', [init, g.op('Concat', [batch, g.int64(`shape_${rows}D`, [rows, D])], { axis: 0 })]);
  const parts = [expand(g.float('cls_token_plus_pos', cls, [1, 1, D]), 1)];
  if (R > 0) parts.push(expand(g.float('register_tokens', v('register_tokens'), [1, R, D]), R));
  parts.push(x);
  x = g.op('Concat', parts, { axis: 1 }); // [B, N, D]

  // The residual stream is 2-D [B·N, D] so that every projection is one Gemm; LayerScale γ is folded into the
  // preceding projection (W·diag(γ), b·γ) and the 1/√d_h attention scale into the query projection — fewer nodes,
  // which matters for the small embedded models where per-node overhead dominates.
  x = g.op('Reshape', [x, g.int64('shape_2d', [-1, D])]);
  const norm = (t: string, key: string) => g.op('LayerNormalization', [t, `${key}.weight`, `${key}.bias`], { axis: -1, epsilon: c.eps });
  const vec = (key: string) => g.float(key, v(key), [D]);
  const normInits = (key: string) => { vec(`${key}.weight`); vec(`${key}.bias`); };
  /** Gemm with weight columns [c0, c0 + o) of `${key}.weight` ([i, total] in our layout), scaled per column. */
  const gemm = (t: string, key: string, i: number, total: number, c0: number, o: number, name: string, scale?: Float32Array | number) => {
    const w = v(`${key}.weight`), b = v(`${key}.bias`);
    const ws = new Float32Array(i * o), bs = new Float32Array(o);
    const sc = (j: number) => (scale === undefined ? 1 : typeof scale === 'number' ? scale : scale[j]);
    for (let r = 0; r < i; r++) for (let j = 0; j < o; j++) ws[r * o + j] = w[r * total + c0 + j] * sc(j);
    for (let j = 0; j < o; j++) bs[j] = b[c0 + j] * sc(j);
    if (precision === 'int8') {
      // y = Cast((x_q − x_zp)·W_q) · (x_scale · s) + b, laid out as onnxruntime.quantization.quantize_dynamic writes it,
      // which ORT's optimiser fuses (MatMulIntegerToFloat, then DynamicQuantizeMatMul).
      const { q, scale: ws8 } = quantizeColumns(ws, i, o);
      const [xq, xs, xzp] = g.multi('DynamicQuantizeLinear', [t], 3);
      const acc = g.op('Cast', [g.op('MatMulInteger', [xq, g.int8(`${name}.weight_int8`, q, [i, o]), xzp])], { to: FLOAT });
      const scale = g.op('Mul', [xs, g.float(`${name}.weight_scale`, ws8, [o])]);
      return g.op('Add', [g.op('Mul', [acc, scale]), g.float(`${name}.bias`, bs, [o])]);
    }
    return g.op('Gemm', [t, g.float(`${name}.weight`, ws, [i, o]), g.float(`${name}.bias`, bs, [o])]);
  };
  const gamma = (key: string) => (c.layerScaleInit !== null ? v(key) : undefined);
  normInits('norm');
  const sqrt2 = g.scalar('sqrt2', Math.SQRT2), one = g.scalar('one', 1), half = g.scalar('half', 0.5);
  const idx0 = g.scalarInt64('idx0', 0);
  const outputs: Array<[string, Array<number | string>]> = [];
  const headsShape = g.int64('heads_shape', [-1, N, H, hd]);
  const tokens3d = g.int64('tokens_3d', [-1, N, D]);
  const finalPatches = (t: string, name: string) =>
    g.op('Slice', [g.op('Reshape', [norm(t, 'norm'), tokens3d]), g.int64(`start_${name}`, [1 + R]), g.int64(`end_${name}`, [N]), g.int64(`axes_${name}`, [1])], {}, name);

  for (let b = 0; b < c.depth; b++) {
    const k = `blocks.${b}`;
    normInits(`${k}.norm1`); normInits(`${k}.norm2`);
    // attention: q [B,H,N,hd] (pre-scaled), kᵀ [B,H,hd,N], v [B,H,N,hd]
    const h1 = norm(x, `${k}.norm1`);
    // int8: one integer GEMM for q, k and v, split after. Three GEMMs quantised h1 three times, and ONNX Runtime fused
    // only some of those into DynamicQuantizeMatMul (profile of ViT-S/16: 36 MatMulIntegerToFloat + 12 standalone
    // DynamicQuantizeLinear left); with one, every block linear becomes one DynamicQuantizeMatMul (docs/bench.md §int8).
    // fp32 keeps three Gemms, so the graphs behind committed fp32 figures stay as they were.
    let qkv: string[] | undefined;
    if (precision === 'int8') {
      const qScale = Float32Array.from({ length: 3 * D }, (_, j) => (j < D ? 1 / Math.sqrt(hd) : 1));
      qkv = g.multi('Split', [gemm(h1, `${k}.attn.qkv`, D, 3 * D, 0, 3 * D, `${k}.attn.qkv`, qScale)], 3, { axis: 1 });
    }
    const split = (part: number, perm: number[], scale?: number) =>
      g.op('Transpose', [g.op('Reshape', [qkv ? qkv[part] : gemm(h1, `${k}.attn.qkv`, D, 3 * D, part * D, D, `${k}.attn.${'qkv'[part]}`, scale), headsShape])], { perm });
    const q = split(0, [0, 2, 1, 3], 1 / Math.sqrt(hd));
    const kT = split(1, [0, 2, 3, 1]);
    const vv = split(2, [0, 2, 1, 3]);
    const probs = g.op('Softmax', [g.op('MatMul', [q, kT])], { axis: -1 });
    const merged = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, vv])], { perm: [0, 2, 1, 3] }), g.int64(`${k}.merge_shape`, [-1, D])]);
    x = g.op('Add', [x, gemm(merged, `${k}.attn.proj`, D, D, 0, D, `${k}.attn.proj`, gamma(`${k}.ls1.gamma`))]);
    // MLP with exact GELU: 0.5·h·(1 + erf(h/√2)) (the pattern ONNX Runtime fuses into one Gelu)
    const h = gemm(norm(x, `${k}.norm2`), `${k}.mlp.fc1`, D, c.mlpHidden, 0, c.mlpHidden, `${k}.mlp.fc1`);
    const act = g.op('Mul', [g.op('Mul', [h, g.op('Add', [g.op('Erf', [g.op('Div', [h, sqrt2])]), one])]), half]);
    x = g.op('Add', [x, gemm(act, `${k}.mlp.fc2`, c.mlpHidden, D, 0, D, `${k}.mlp.fc2`, gamma(`${k}.ls2.gamma`))]);
    if (blocks.includes(b)) outputs.push([finalPatches(x, `block${b}`), ['batch', T, D]]);
    if (opts.attention && b === c.depth - 1) {
      const clsRow = g.op('Gather', [probs, g.scalarInt64('idx_cls', 0)], { axis: 2 });                             // [B, H, N]
      g.op('Slice', [clsRow, g.int64('att_start', [1 + R]), g.int64('att_end', [N]), g.int64('att_axes', [2])], {}, 'attention');
      outputs.push(['attention', ['batch', H, T]]);
    }
  }
  const normed = g.op('Reshape', [norm(x, 'norm'), tokens3d], {}, opts.tokens ? 'last_hidden_state' : undefined);
  if (opts.tokens) outputs.push(['last_hidden_state', ['batch', N, D]]);
  g.op('Gather', [normed, idx0], { axis: 1 }, 'cls');
  g.op('Slice', [normed, g.int64('start_patches', [1 + R]), g.int64('end_patches', [N]), g.int64('axes_patches', [1])], {}, 'patches');
  outputs.unshift(['cls', ['batch', D]], ['patches', ['batch', T, D]]);

  const description: OnnxEncoderDescription = {
    name: c.name, height: opts.height, width: opts.width, channels, mean: channels === c.mean.length ? c.mean : c.mean.slice(0, channels),
    std: channels === c.std.length ? c.std : c.std.slice(0, channels), patchSize: p, dim: D, heads: H, numRegisters: R, blocks,
    attention: opts.attention === true, ...(precision === 'fp32' ? {} : { precision }),
  };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'raydino-lab',
    graph: {
      name: c.name,
      node: g.nodes,
      initializer: g.inits,
      input: [{ name: 'pixels', type: tensorType(['batch', channels, opts.height, opts.width]) }],
      output: outputs.map(([name, dims]) => ({ name, type: tensorType(dims) })),
    },
    metadataProps: Object.entries({ ...opts.metadata, ...(opts.describe === false ? {} : { raydino: JSON.stringify(description) }) })
      .map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Reads metadata_props of an ONNX file (decodes the protobuf). */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const m = onnx.ModelProto.decode(bytes);
  return Object.fromEntries((m.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
}
