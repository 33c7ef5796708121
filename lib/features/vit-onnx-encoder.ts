/**
 * Frozen inference of our own ViT checkpoints through ONNX Runtime (the project's decision: ORT runs 1.1–1.6× PyTorch
 * here, tfjs-wasm ~0.2×). The checkpoint is exported once per (weights, input size, channels) to an .onnx with every
 * block's tokens as outputs, cached under <cache>/onnx/, then served by createOnnxEncoder. The tfjs encoder stays the
 * fallback (RAYDINO_ENCODER_ENGINE=tfjs).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ViT } from '../models/vit';
import { exportViTToOnnx } from '../models/onnx-export';
import type { Encoder } from './encoder';
import { createOnnxEncoder } from './onnx-encoder';
import { weightsHash } from './tfjs-encoder';

/** Bump when the export changes, so stale cached graphs are not reused. */
export const VIT_ONNX_EXPORT_VERSION = 1;

export interface VitOnnxOptions {
  inputSize?: number;
  channels?: 1 | 3;
  name?: string;
  /** Folder for exported graphs (default <project>/.cache/onnx). */
  cacheDir: string;
  intraOpNumThreads?: number;
}

/** The cached .onnx path for a model at an input size; exports it when missing (atomically: tmp file + rename). */
export function exportedGraph(vit: ViT, opts: VitOnnxOptions): string {
  const c = vit.config;
  const size = opts.inputSize ?? c.imgSize;
  const channels = opts.channels ?? c.inChans;
  const key = createHash('sha256')
    .update(JSON.stringify({ v: VIT_ONNX_EXPORT_VERSION, weights: weightsHash(vit), size, channels, heads: c.heads }))
    .digest('hex').slice(0, 32);
  fs.mkdirSync(opts.cacheDir, { recursive: true });
  const file = path.join(opts.cacheDir, `${c.name}-${size}-${key}.onnx`);
  if (!fs.existsSync(file)) {
    const bytes = exportViTToOnnx(vit, {
      height: size, width: size, channels, attention: true,
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
  const file = exportedGraph(vit, opts);
  return createOnnxEncoder({ path: file, name: opts.name ?? vit.config.name, intraOpNumThreads: opts.intraOpNumThreads });
}
