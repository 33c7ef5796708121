/**
 * Frozen inference of our own ViT checkpoints through ONNX Runtime (the project's decision: ORT runs 1.1–1.6× PyTorch
 * here, tfjs-wasm ~0.2×). The checkpoint is exported once per (weights, input size, channels) to an .onnx with every
 * block's tokens as outputs, cached under <cache>/onnx/, then served by createOnnxEncoder. The tfjs encoder stays the
 * fallback (RAYDINO_ENCODER_ENGINE=tfjs).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { removeStaleTmp } from '../engine/stale-tmp';
import { ViT } from '../models/vit';
import type { OnnxPrecision } from '../config/encoder-precision';
import { exportViTToOnnx } from '../models/onnx-export';
import type { Encoder } from './encoder';
import { BadModelFileError, createOnnxEncoder } from './onnx-encoder';
import { weightsHash } from './tfjs-encoder';

/** Bump when the export changes in a way the probe below cannot see (e.g. only for some configs). */
export const VIT_ONNX_EXPORT_VERSION = 1;

let probe: string | undefined;

/**
 * sha256 of the exporter's output (fp32 and int8) on a tiny fixed ViT (2 blocks, registers, LayerScale, attention + block outputs):
 * part of every cached graph's key, so any change to lib/models/onnx-export invalidates the graphs it wrote before,
 * without anyone remembering to bump a version. Computed once per process (a few ms).
 */
export function exporterFingerprint(): string {
  if (probe === undefined) {
    const tiny = new ViT({ name: 'probe', imgSize: 16, patchSize: 8, inChans: 1, dim: 8, depth: 2, heads: 2, mlpHidden: 16, numRegisters: 1, layerScaleInit: 0.5, mean: [0.5], std: [0.25] }, 0);
    try {
      // both precisions: their graphs differ in more than the linears' weights (int8 fuses q, k and v)
      const h = createHash('sha256');
      for (const precision of ['fp32', 'int8'] as const) h.update(exportViTToOnnx(tiny, { height: 24, width: 24, attention: true, blocks: [0, 1], precision }));
      probe = h.digest('hex');
    } finally {
      tiny.dispose();
    }
  }
  return probe;
}

export interface VitOnnxOptions {
  inputSize?: number;
  channels?: 1 | 3;
  name?: string;
  /** Folder for exported graphs (default <project>/.cache/onnx). */
  cacheDir: string;
  intraOpNumThreads?: number;
  /** 'int8': integer block linears (lib/models/onnx-export); default 'fp32'. */
  precision?: OnnxPrecision;
}

/** The cached .onnx path for a model at an input size; exports it when missing (atomically: tmp file + rename). */
export function exportedGraph(vit: ViT, opts: VitOnnxOptions): string {
  const c = vit.config;
  const size = opts.inputSize ?? c.imgSize;
  const channels = opts.channels ?? c.inChans;
  const precision = opts.precision ?? 'fp32';
  // precision enters the key only when not fp32, so graphs cached before the int8 path keep their names
  const key = createHash('sha256')
    .update(JSON.stringify({ v: VIT_ONNX_EXPORT_VERSION, exporter: exporterFingerprint(), weights: weightsHash(vit), size, channels, heads: c.heads,
      ...(precision === 'fp32' ? {} : { precision }) }))
    .digest('hex').slice(0, 32);
  fs.mkdirSync(opts.cacheDir, { recursive: true });
  const file = path.join(opts.cacheDir, `${c.name}-${size}${precision === 'fp32' ? '' : `-${precision}`}-${key}.onnx`);
  if (!fs.existsSync(file)) {
    removeStaleTmp(opts.cacheDir, /\.onnx\.(\d+)\.tmp$/); // exports cut short by a kill
    const bytes = exportViTToOnnx(vit, {
      height: size, width: size, channels, attention: true, precision,
      blocks: Array.from({ length: c.depth }, (_, i) => i),
    });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  }
  return file;
}

/** An Encoder running `vit` on ONNX Runtime (exported and cached on first use). The tfjs model can be disposed after. */
export async function createVitOnnxEncoder(vit: ViT, opts: VitOnnxOptions): Promise<Encoder> {
  const open = () => createOnnxEncoder({ path: exportedGraph(vit, opts), name: opts.name ?? vit.config.name, intraOpNumThreads: opts.intraOpNumThreads });
  try {
    return await open();
  } catch (e) {
    if (!(e instanceof BadModelFileError)) throw e;
    // a damaged cache entry (disk full, a copy cut short) is ours to rebuild: the export is deterministic
    console.error(`note: cached ONNX export ${e.file} is damaged (${e.reason}): exporting it again`);
    fs.rmSync(e.file, { force: true });
    try {
      return await open();
    } catch (e2) {
      if (!(e2 instanceof BadModelFileError)) throw e2;
      throw new Error(`${e2.file}: the cached ONNX export is unreadable even after rebuilding it (${e2.reason}); delete ${opts.cacheDir} (RAYDINO_ONNX_CACHE) and check the disk`);
    }
  }
}

/**
 * Whether this CPU has the integer dot-product instructions ONNX Runtime's u8s8 GEMM needs to beat fp32 without
 * saturating (x86 VNNI, AVX-512 or AVX; arm64 dot product). Reads /proc/cpuinfo; off Linux, assumes yes.
 * RAYDINO_CPU_FLAGS (space-separated) replaces the flags, for tests.
 */
export function cpuSupportsInt8(): { ok: boolean; flags: string } {
  let flags = process.env.RAYDINO_CPU_FLAGS;
  if (flags === undefined) {
    try {
      const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
      flags = /^(?:flags|Features)\s*:(.*)$/m.exec(info)?.[1] ?? '';
    } catch {
      return { ok: true, flags: '' };
    }
  }
  const set = new Set(flags.trim().split(/\s+/));
  const found = ['avx512_vnni', 'avx_vnni', 'amx_int8', 'asimddp'].filter((f) => set.has(f));
  return { ok: found.length > 0, flags: found.join(' ') };
}
