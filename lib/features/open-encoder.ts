/**
 * Opens an Encoder from a command-line style spec:
 *   <file>.onnx               → ONNX Runtime (./onnx-encoder; our exports carry their preprocessing in metadata)
 *   <file>.safetensors        → our tfjs ViT with those weights (raydino / dinov2 / HF layouts, ./tfjs-encoder)
 *   <dir>                     → <dir>/encoder.onnx or <dir>/model.onnx if present, else <dir>/model.safetensors
 *   random:<vit name>[:seed]  → a randomly initialised registered ViT (the "random init" baseline)
 *   randproj[:dim[:seed]]     → the fixed random-projection stand-in (./random-projection-encoder)
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Encoder } from './encoder';
import type { ViT } from '../models/vit';
import { checkSafetensorsFile } from '../io/safetensors';
import { DEFAULT_ENCODER_PRECISION, ENCODER_PRECISIONS, type OnnxPrecision } from '../config/encoder-precision';
import { autoPrecision } from '../models/onnx-export';
import { onnxDescription } from './onnx-encoder';
import { randomProjectionEncoder } from './random-projection-encoder';

export interface OpenEncoderOptions {
  /** Input size override (ViTs interpolate their position embeddings). */
  inputSize?: number;
  /** Input channels override (1 = grey, 3 = replicated). */
  channels?: 1 | 3;
  /**
   * Numeric precision of the encoder (default DEFAULT_ENCODER_PRECISION = 'auto'). 'int8' exists only for our ViTs on ONNX
   * Runtime (int8 block linears, lib/models/onnx-export); on a CPU without integer dot-product instructions it falls
   * back to fp32 with a note on stderr. 'auto' = autoPrecision for our ViTs (int8 from vit_tiny up), fp32 for every other
   * encoder.
   */
  precision?: string;
}

/** The precisions an encoder spec can run, for the error a wrong --precision gets. */
function unsupported(spec: string, precision: string, supported: string[], why: string): Error {
  return new Error(`encoder ${spec} cannot run precision ${precision}: it supports ${supported.join(', ')} (${why})`);
}

/**
 * Our ViTs run on ONNX Runtime (exported once and cached in <project>/.cache/onnx, or RAYDINO_ONNX_CACHE); set
 * RAYDINO_ENCODER_ENGINE=tfjs to run them on tfjs instead (slower; the reference implementation).
 */
async function fromViT(vit: ViT, spec: string, name: string | undefined, opts: OpenEncoderOptions): Promise<Encoder> {
  const engine = process.env.RAYDINO_ENCODER_ENGINE ?? 'onnx';
  if (engine !== 'onnx' && engine !== 'tfjs') throw new Error(`invalid RAYDINO_ENCODER_ENGINE: ${engine} (onnx or tfjs)`);
  const asked = opts.precision ?? DEFAULT_ENCODER_PRECISION;
  if (engine === 'tfjs' && asked === 'int8') {
    vit.dispose();
    throw unsupported(spec, asked, ['fp32', 'auto'], 'RAYDINO_ENCODER_ENGINE=tfjs; int8 needs the ONNX engine');
  }
  let precision: OnnxPrecision = engine === 'tfjs' ? 'fp32' : asked === 'auto' ? autoPrecision(vit.config) : asked as OnnxPrecision; // openEncoder checked it is one of ENCODER_PRECISIONS
  if (precision === 'int8') {
    const { cpuSupportsInt8 } = await import('./vit-onnx-encoder');
    if (!cpuSupportsInt8().ok) {
      console.error(`note: encoder ${spec}: this CPU has no VNNI / dot-product instructions (avx512_vnni, avx_vnni, amx_int8, asimddp), so int8 would be slower than fp32 here: running fp32${asked === 'auto' ? ' (precision auto)' : ''}`);
      precision = 'fp32';
    }
  }
  if (engine === 'tfjs') {
    const { createTfjsEncoder } = await import('./tfjs-encoder');
    return createTfjsEncoder(vit, { inputSize: opts.inputSize, channels: opts.channels, name, ownsModel: true });
  }
  const { createVitOnnxEncoder } = await import('./vit-onnx-encoder');
  const { projectRoot } = await import('../engine/provenance');
  try {
    return await createVitOnnxEncoder(vit, {
      inputSize: opts.inputSize, channels: opts.channels, name, precision,
      cacheDir: process.env.RAYDINO_ONNX_CACHE ?? path.join(projectRoot(), '.cache', 'onnx'),
    });
  } finally {
    vit.dispose();
  }
}

const FOLDER_FILES = ['encoder.onnx', 'model.onnx', 'model.safetensors', 'teacher.safetensors', 'checkpoint.safetensors'];

/** The weights file a file or folder spec stands for (a folder's first of FOLDER_FILES); throws when there is none. */
function encoderFile(spec: string): string {
  if (!fs.existsSync(spec)) throw new Error(`encoder not found: ${spec} (expected a .onnx, a .safetensors, a checkpoint folder, random:<vit> or randproj)`);
  if (!fs.statSync(spec).isDirectory()) return spec;
  const found = FOLDER_FILES.map((f) => path.join(spec, f)).find((f) => fs.existsSync(f));
  if (!found) throw new Error(`encoder folder ${spec} holds none of ${FOLDER_FILES.join(', ')}`);
  return found;
}

/**
 * Checks, without loading a model, that a spec openEncoder would take names a readable file: it exists, a .safetensors
 * header is whole and the file is long enough for its tensors, an .onnx decodes. Throws naming the file and what to do;
 * returns the file checked (undefined for random: and randproj specs, which have none).
 */
export function checkEncoderSpec(spec: string): string | undefined {
  if (spec.startsWith('random:') || spec.startsWith('randproj')) return undefined;
  const file = encoderFile(spec);
  if (file.endsWith('.safetensors')) {
    checkSafetensorsFile(file);
  } else if (file.endsWith('.onnx')) {
    onnxDescription(file, fs.readFileSync(file));
  } else {
    throw new Error(`encoder ${file}: unknown format (expected .onnx or .safetensors)`);
  }
  return file;
}

export async function openEncoder(spec: string, opts: OpenEncoderOptions = {}): Promise<Encoder> {
  // Checked here because ONNX Runtime answers a zero or fractional size with a native log, not a message.
  if (opts.inputSize !== undefined && !(Number.isInteger(opts.inputSize) && opts.inputSize >= 1)) {
    throw new Error(`encoder ${spec}: invalid input size ${opts.inputSize} (a positive integer, e.g. 224)`);
  }
  const precision = opts.precision ?? DEFAULT_ENCODER_PRECISION;
  if (!(ENCODER_PRECISIONS as readonly string[]).includes(precision)) throw new Error(`invalid precision for encoder ${spec}: ${precision} (${ENCODER_PRECISIONS.join(', ')})`);
  // past here 'auto' means fp32 for every encoder but our ViTs (fromViT resolves it per model)
  if (spec.startsWith('randproj')) {
    if (precision === 'int8') throw unsupported(spec, precision, ['fp32', 'auto'], 'the random-projection stand-in');
    const [, dim, seed] = spec.split(':');
    return randomProjectionEncoder({ dim: dim ? Number(dim) : 64, seed: seed ? Number(seed) : 0, inputSize: opts.inputSize ?? 64, patchSize: 8, channels: opts.channels ?? 1 });
  }
  if (spec.startsWith('random:')) {
    const [, name, seed] = spec.split(':');
    const { initBackend } = await import('../engine/backend');
    await initBackend();
    const { createViT } = await import('../models/registry');
    return fromViT(createViT(name, {}, seed ? Number(seed) : 0), spec, `${name}-random-s${seed ?? 0}`, opts);
  }
  const file = encoderFile(spec);
  if (file.endsWith('.onnx')) {
    if (precision === 'int8') throw unsupported(file, precision, ['fp32', 'auto'], 'a ready-made .onnx runs as it is; int8 is written by our export from .safetensors weights');
    const { createOnnxEncoder } = await import('./onnx-encoder');
    return createOnnxEncoder({ path: file, inputSize: opts.inputSize, channels: opts.channels });
  }
  if (file.endsWith('.safetensors')) {
    const { initBackend } = await import('../engine/backend');
    await initBackend();
    const { loadViT } = await import('../models/weights');
    return fromViT(loadViT(file), file, undefined, opts);
  }
  throw new Error(`encoder ${file}: unknown format (expected .onnx or .safetensors)`);
}
