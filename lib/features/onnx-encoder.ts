/**
 * An Encoder (./encoder.ts) running an .onnx graph with onnxruntime-node on the CPU execution provider — the fastest
 * inference engine a Node program has here (`raydino bench` measures it against tfjs and PyTorch; docs/bench.md). Works for our exports (lib/models/onnx-export:
 * everything is read from metadata_props["raydino"]) and for a user's .onnx, whose input size / mean / std / patch size
 * and output names the caller declares (e.g. a transformers Dinov2 export: `tokensOutput: 'last_hidden_state'`).
 *
 * @example
 * const enc = await createOnnxEncoder({ path: 'encoder.onnx' });            // our export
 * const user = await createOnnxEncoder({ path: 'rad-dino.onnx', inputSize: 518, patchSize: 14, channels: 3,
 *   mean: [0.5307, 0.5307, 0.5307], std: [0.2583, 0.2583, 0.2583], tokensOutput: 'last_hidden_state' });
 * const out = await enc.embed(pixels, batch);
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type * as ortTypes from 'onnxruntime-node';
import { OnnxEncoderDescription, readOnnxMetadata } from '../models/onnx-export';
import type { Encoder, EncoderOutput } from './encoder';
import { availableCores } from '../config/cores';

export interface OnnxEncoderOptions {
  path: string;
  /** ONNX Runtime intra-op threads (default 2: the two cores of CI). */
  intraOpNumThreads?: number;
  name?: string;
  // Declared by the caller for a user's .onnx (ours carry them in metadata; a declared value wins):
  inputSize?: number;
  channels?: 1 | 3;
  mean?: number[];
  std?: number[];
  patchSize?: number;
  dim?: number;
  /** Register tokens between CLS and patches in `tokensOutput` (default 0). */
  numRegisters?: number;
  inputName?: string;
  /** Output holding CLS [B, D] (default 'cls'). */
  clsOutput?: string;
  /** Output holding patch tokens [B, T, D] (default 'patches'). */
  patchesOutput?: string;
  /** Alternative: one output with all tokens [B, 1 + R + T, D] (CLS first), split here. */
  tokensOutput?: string;
  /** Block index → output name of its patch tokens (ours: `block<i>`). */
  blockOutputs?: Record<number, string>;
  /** Output with [B, heads, T] CLS attention (ours: 'attention'). */
  attentionOutput?: string;
}

function loadOrt(): typeof ortTypes {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('onnxruntime-node');
}

function need<T>(v: T | undefined, what: string, file: string): T {
  if (v === undefined) throw new Error(`${file}: ${what} is not in the model's metadata: declare it (OnnxEncoderOptions.${what})`);
  return v;
}

/**
 * An .onnx file that cannot be decoded or loaded (truncated, not ONNX, damaged metadata). Its own class so the export
 * cache (./vit-onnx-encoder) can rebuild a damaged entry instead of failing.
 */
export class BadModelFileError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: not a readable ONNX model (${reason}); a damaged or cut-short file must be exported or downloaded again`);
  }
}

/**
 * Our export's description in an .onnx file's metadata ({} for a user's graph). Protobuf and ONNX Runtime errors name
 * neither the file nor a remedy ('index out of range: 5 + 103053157 > 5000'): an undecodable file is a BadModelFileError.
 */
export function onnxDescription(file: string, bytes: Uint8Array): Partial<OnnxEncoderDescription> {
  try {
    const props = readOnnxMetadata(bytes);
    return props.raydino ? JSON.parse(props.raydino) as OnnxEncoderDescription : {};
  } catch (e) {
    throw new BadModelFileError(file, (e as Error).message);
  }
}

export async function createOnnxEncoder(opts: OnnxEncoderOptions): Promise<Encoder> {
  const file = opts.path;
  if (!fs.existsSync(file)) throw new Error(`ONNX model not found: ${file}`);
  const bytes = fs.readFileSync(file);
  const meta = onnxDescription(file, bytes);
  const ort = loadOrt();
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: opts.intraOpNumThreads ?? Math.min(2, availableCores()),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // Spinning threads burn a core while idle; under any contention (a notebook kernel, a second worker) they halve
    // throughput. RAYDINO_ORT_SPIN=1 turns them back on for a dedicated machine.
    extra: { session: { intra_op: { allow_spinning: process.env.RAYDINO_ORT_SPIN === '1' ? '1' : '0' } } },
  }).catch((e: Error) => { throw new BadModelFileError(file, e.message); });
  const inputSize = opts.inputSize ?? meta.height;
  const width = opts.inputSize ?? meta.width;
  const channels = opts.channels ?? meta.channels;
  const patchSize = need(opts.patchSize ?? meta.patchSize, 'patchSize', file);
  const H = need(inputSize, 'inputSize', file), W = width ?? H;
  const C = need(channels, 'channels', file);
  const mean = need(opts.mean ?? meta.mean, 'mean', file), std = need(opts.std ?? meta.std, 'std', file);
  const inputName = opts.inputName ?? session.inputNames[0];
  const R = opts.numRegisters ?? meta.numRegisters ?? 0;
  const gridH = Math.floor(H / patchSize), gridW = Math.floor(W / patchSize), T = gridH * gridW;
  const blockOutputs: Record<number, string> = opts.blockOutputs ?? Object.fromEntries((meta.blocks ?? []).map((b) => [b, `block${b}`]));
  const attentionOutput = opts.attentionOutput ?? (meta.attention ? 'attention' : undefined);
  const outNames = new Set(session.outputNames);
  const check = (n: string | undefined) => { if (n && !outNames.has(n)) throw new Error(`${file}: no output named ${n} (outputs: ${[...outNames].join(', ')})`); };
  const clsOutput = opts.tokensOutput ? undefined : opts.clsOutput ?? 'cls';
  const patchesOutput = opts.tokensOutput ? undefined : opts.patchesOutput ?? 'patches';
  [opts.tokensOutput, clsOutput, patchesOutput, attentionOutput, ...Object.values(blockOutputs)].forEach(check);
  const id = createHash('sha256').update(bytes).digest('hex');
  let dim = opts.dim ?? meta.dim ?? 0;

  const enc: Encoder = {
    id, name: opts.name ?? meta.name ?? path.basename(file, '.onnx'), inputSize: H, channels: C, mean, std, patchSize, dim,
    blocks: Object.keys(blockOutputs).map(Number), precision: meta.precision ?? 'fp32',
    async embed(pixels: Float32Array, batch: number, eopts = {}): Promise<EncoderOutput> {
      if (pixels.length !== batch * C * H * W) throw new Error(`${file}: embed got ${pixels.length} values for batch ${batch} × ${C}×${H}×${W}`);
      const wanted = [...(eopts.blocks ?? [])];
      for (const b of wanted) if (!(b in blockOutputs)) throw new Error(`${file}: block ${b} is not an output of this model (available: ${Object.keys(blockOutputs).join(', ') || 'none'})`);
      if (eopts.attention && !attentionOutput) throw new Error(`${file}: this model has no attention output`);
      const fetches = [opts.tokensOutput, clsOutput, patchesOutput, ...wanted.map((b) => blockOutputs[b]), eopts.attention ? attentionOutput : undefined]
        .filter((n): n is string => n !== undefined);
      const feeds = { [inputName]: new ort.Tensor('float32', pixels, [batch, C, H, W]) };
      const res = await session.run(feeds, fetches);
      let cls: Float32Array, patches: Float32Array;
      if (opts.tokensOutput) {
        const t = res[opts.tokensOutput];
        const [, n, d] = t.dims as number[];
        if (n !== 1 + R + T) throw new Error(`${file}: ${opts.tokensOutput} has ${n} tokens, expected 1 + ${R} + ${T}`);
        dim = d;
        const all = t.data as Float32Array;
        cls = new Float32Array(batch * d);
        patches = new Float32Array(batch * T * d);
        for (let b = 0; b < batch; b++) {
          cls.set(all.subarray(b * n * d, b * n * d + d), b * d);
          patches.set(all.subarray((b * n + 1 + R) * d, (b + 1) * n * d), b * T * d);
        }
      } else {
        cls = Float32Array.from(res[clsOutput!].data as Float32Array);
        patches = Float32Array.from(res[patchesOutput!].data as Float32Array);
        dim = (res[clsOutput!].dims as number[])[1];
      }
      enc.dim = dim;
      const out: EncoderOutput = { batch, dim, gridH, gridW, cls, patches };
      if (wanted.length) out.blocks = new Map(wanted.map((b) => [b, Float32Array.from(res[blockOutputs[b]].data as Float32Array)]));
      if (eopts.attention) out.attention = Float32Array.from(res[attentionOutput!].data as Float32Array);
      for (const t of Object.values(res)) (t as { dispose?: () => void }).dispose?.();
      return out;
    },
    async dispose() { await session.release(); },
    recipe: { kind: 'onnx', options: { ...opts } },
  };
  return enc;
}
