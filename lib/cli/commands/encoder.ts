/** `raydino encoder`: list registered ViTs, embed a .npy batch with imported weights, export to ONNX. */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from '../command';
import { ArgSpec, numberFlag, parseArgs, requireFlag, stringFlag, UsageError } from '../args';
import { initBackend } from '../../engine/backend';
import { assertFinitePixels } from '../../data/preprocess';
import { asFloat32, readNpy, writeNpy } from '../../io/npy';
import { exportViTToOnnx } from '../../models/onnx-export';
import { listModels, modelConfig } from '../../models/registry';
import { POS_INTERPOLATIONS, PosInterpolation } from '../../models/config';
import { loadViT, StateDictOptions, WEIGHT_FORMATS, WeightFormat } from '../../models/weights';
import type { ViT } from '../../models/vit';

const USAGE = `usage:
  raydino encoder list
      registered architectures (name, dim/depth/heads, patch, input size, parameters)
  raydino encoder embed --weights <file.safetensors> --input <x.npy> --out <dir>
                        [--format auto|raydino|dinov2|hf] [--heads N] [--interpolation dinov2|hf]
                        [--blocks i,j] [--batch 16]
      x.npy: float32 NCHW, already normalised. Writes cls.npy [B,D] and patches.npy [B,T,D]
      (+ block<i>.npy, final-normed patch tokens of block i) with the tfjs backend (RAYDINO_BACKEND to force one).
      --heads: default dim/64. --interpolation: how position embeddings are resized to the input grid; default
      dinov2 for dinov2 weights, hf for HF weights (recent transformers; older releases used the dinov2 formula).
  raydino encoder export --weights <file.safetensors> --out <model.onnx> --size <H[xW]>
                         [--format ...] [--heads N] [--interpolation ...] [--blocks i,j] [--attention] [--channels 1|3]
      ONNX (opset 17) graph with dynamic batch; outputs cls, patches (+ block<i>, attention).`;

const WEIGHTS_FLAGS: ArgSpec['flags'] = {
  weights: { type: 'string', required: true }, out: { type: 'string', required: true },
  format: { type: 'string', choices: WEIGHT_FORMATS }, heads: { type: 'number', integer: true, min: 1 },
  interpolation: { type: 'string', choices: POS_INTERPOLATIONS }, blocks: { type: 'string' },
};

function weightsOptions(args: ReturnType<typeof parseArgs>): StateDictOptions {
  const format = (stringFlag(args, 'format', 'auto') ?? 'auto') as WeightFormat;
  const interp = stringFlag(args, 'interpolation') as PosInterpolation | undefined;
  return { format, heads: numberFlag(args, 'heads'), overrides: interp ? { posInterpolation: interp } : undefined };
}

function blocksFlag(args: ReturnType<typeof parseArgs>): number[] {
  const v = stringFlag(args, 'blocks');
  if (!v) return [];
  return v.split(',').map((s) => {
    const n = Number(s);
    if (s.trim() === '' || !Number.isInteger(n)) throw new UsageError(`invalid --blocks: ${v} (comma-separated block indices, e.g. 3,7)`);
    return n;
  });
}

async function embed(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: { ...WEIGHTS_FLAGS, input: { type: 'string', required: true }, batch: { type: 'number', integer: true, min: 1 } } });
  const weights = requireFlag(args, 'weights');
  const input = requireFlag(args, 'input');
  const outDir = requireFlag(args, 'out');
  const batchSize = numberFlag(args, 'batch', 16)!;
  const blocks = blocksFlag(args);
  const x = readNpy(input);
  if (x.shape.length !== 4) throw new Error(`${input}: expected NCHW (rank 4), got shape [${x.shape}]`);
  const [B, C, H, W] = x.shape;
  const data = asFloat32(x);
  assertFinitePixels(data, C * H * W, (s) => `${input}: sample ${s}`);
  await initBackend();
  const tf = await import('@tensorflow/tfjs-core');
  const vit: ViT = loadViT(weights, weightsOptions(args));
  try {
    const p = vit.config.patchSize;
    if (H % p || W % p) throw new Error(`${input}: ${H}×${W} is not a multiple of the patch size ${p}`);
    const T = (H / p) * (W / p), D = vit.config.dim;
    const cls = new Float32Array(B * D), patches = new Float32Array(B * T * D);
    const blockOut = blocks.map(() => new Float32Array(B * T * D));
    const per = C * H * W;
    for (let s = 0; s < B; s += batchSize) {
      const n = Math.min(batchSize, B - s);
      const xt = tf.tensor4d(data.subarray(s * per, (s + n) * per), [n, C, H, W]);
      const out = vit.forward(xt, { returnBlocks: blocks });
      cls.set(await out.cls.data() as Float32Array, s * D);
      patches.set(await out.patches.data() as Float32Array, s * T * D);
      for (let i = 0; i < blocks.length; i++) blockOut[i].set(await out.blocks![i].data() as Float32Array, s * T * D);
      tf.dispose([xt, out.cls, out.patches, ...(out.blocks ?? []), ...(out.registers ? [out.registers] : [])]);
    }
    fs.mkdirSync(outDir, { recursive: true });
    writeNpy(path.join(outDir, 'cls.npy'), { dtype: 'float32', shape: [B, D], data: cls });
    writeNpy(path.join(outDir, 'patches.npy'), { dtype: 'float32', shape: [B, T, D], data: patches });
    blocks.forEach((b, i) => writeNpy(path.join(outDir, `block${b}.npy`), { dtype: 'float32', shape: [B, T, D], data: blockOut[i] }));
    console.log(`embedded ${B} images with ${path.basename(weights)} (${vit.config.dim}-d, ${vit.config.depth} blocks, patch ${p}): ${outDir}/cls.npy [${B},${D}], patches.npy [${B},${T},${D}]`);
  } finally {
    vit.dispose();
  }
  return 0;
}

async function exportOnnx(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    flags: { ...WEIGHTS_FLAGS, size: { type: 'string', required: true }, attention: { type: 'boolean' }, channels: { type: 'number', integer: true } },
  });
  const weights = requireFlag(args, 'weights');
  const out = requireFlag(args, 'out');
  const size = requireFlag(args, 'size');
  const m = /^(\d+)(?:x(\d+))?$/.exec(size);
  if (!m || Number(m[1]) < 1 || Number(m[2] ?? m[1]) < 1) throw new UsageError(`invalid --size: ${size} (a positive size, e.g. 224 or 224x192)`);
  const channels = numberFlag(args, 'channels');
  if (channels !== undefined && channels !== 1 && channels !== 3) throw new UsageError(`invalid --channels: ${channels} (1 or 3)`);
  await initBackend();
  const vit = loadViT(weights, weightsOptions(args));
  try {
    const bytes = exportViTToOnnx(vit, {
      height: Number(m[1]), width: Number(m[2] ?? m[1]), blocks: blocksFlag(args), attention: args.flags.attention === true,
      channels: channels as 1 | 3 | undefined,
    });
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, bytes);
    console.log(`wrote ${out} (${(bytes.length / 1e6).toFixed(1)} MB)`);
  } finally {
    vit.dispose();
  }
  return 0;
}

function list(): number {
  for (const name of listModels()) {
    const c = modelConfig(name);
    const params = 12 * c.depth * c.dim * c.dim + c.inChans * c.patchSize ** 2 * c.dim; // ≈ (blocks + patch embed)
    console.log(`${name.padEnd(10)} dim ${String(c.dim).padStart(4)}  depth ${String(c.depth).padStart(2)}  heads ${String(c.heads).padStart(2)}  patch ${c.patchSize}  input ${c.imgSize}  ${c.inChans}ch  ≈${(params / 1e6).toFixed(1)}M params`);
  }
  return 0;
}

export const encoderCommand: Command = {
  name: 'encoder',
  summary: 'ViT encoders: list architectures, embed a .npy batch with imported weights, export to ONNX',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'list') { parseArgs(rest, { flags: {} }); return list(); }
    if (sub === 'embed') return embed(rest);
    if (sub === 'export') return exportOnnx(rest);
    throw new UsageError(sub === undefined ? 'missing sub-command (list, embed or export)' : `unknown sub-command '${sub}' (list, embed or export)`);
  },
};
