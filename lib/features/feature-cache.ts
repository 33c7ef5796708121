/**
 * On-disk layout of one cached FeatureSet (readable from Python with np.load):
 *   <cacheDir>/<key>/meta.json         ids (in row order), n, dim, gridH, gridW, dtypes, key parts — written LAST: its
 *                                       presence marks a complete entry
 *   <cacheDir>/<key>/cls.npy           float32 [N, D]
 *   <cacheDir>/<key>/patches.npy       float16 [N, T, D]      (when extracted with patches)
 *   <cacheDir>/<key>/block-<k>.npy     float16 [N, T, D]      (requested intermediate blocks)
 * While extracting: shards/<s>.cls.npy, shards/<s>.patches.npy, shards/<s>.block-<k>.npy per batch and progress.json
 * ({ key, batchSize, done }) so an interrupted extraction resumes at the first missing shard.
 */
import * as fs from 'fs';
import * as path from 'path';
import { asFloat32, float32ToFloat16, readNpy, writeNpy } from '../io';
import type { CacheKeyParts } from './cache-key';
import type { FeatureSet } from './feature-set';

export interface FeatureMeta {
  key: string;
  parts: CacheKeyParts;
  ids: string[];
  n: number;
  dim: number;
  gridH: number;
  gridW: number;
  dtypes: { cls: 'float32'; patches: 'float16'; blocks: 'float16' };
  files: { cls: string; patches?: string; blocks: Record<string, string> };
  createdWith: string;
}

export interface Progress {
  key: string;
  batchSize: number;
  /** Shards completed, in order. */
  done: number;
}

export const entryDir = (cacheDir: string, key: string): string => path.join(cacheDir, key);

/** Reads a complete cache entry, or undefined when absent/incomplete. Throws on a corrupt one, naming the file. */
export function readEntry(dir: string, meta?: FeatureMeta): FeatureSet | undefined {
  const metaPath = path.join(dir, 'meta.json');
  if (!meta) {
    if (!fs.existsSync(metaPath)) return undefined;
    meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as FeatureMeta;
  }
  const t = meta.gridH * meta.gridW;
  const cls = readNpy(path.join(dir, meta.files.cls));
  if (cls.shape[0] !== meta.n || cls.shape[1] !== meta.dim) throw new Error(`${path.join(dir, meta.files.cls)}: shape [${cls.shape}] does not match meta.json [${meta.n}, ${meta.dim}]`);
  let patches: Float32Array | undefined;
  if (meta.files.patches) {
    const p = readNpy(path.join(dir, meta.files.patches));
    if (p.shape[0] !== meta.n || p.shape[1] !== t || p.shape[2] !== meta.dim) throw new Error(`${path.join(dir, meta.files.patches)}: shape [${p.shape}] does not match meta.json [${meta.n}, ${t}, ${meta.dim}]`);
    patches = asFloat32(p);
  }
  const blocks = new Map<number, Float32Array>();
  for (const [k, f] of Object.entries(meta.files.blocks)) blocks.set(Number(k), asFloat32(readNpy(path.join(dir, f))));
  return {
    key: meta.key, dir, encoder: meta.parts.encoder, dataset: meta.parts.dataset, split: meta.parts.split, ids: meta.ids,
    n: meta.n, dim: meta.dim, gridH: meta.gridH, gridW: meta.gridW, cls: asFloat32(cls), patches,
    blocks: blocks.size > 0 ? blocks : undefined,
  };
}

export function writeShard(dir: string, s: number, out: { cls: Float32Array; patches?: Float32Array; blocks?: Map<number, Float32Array> }, b: number, d: number, t: number): void {
  const sd = path.join(dir, 'shards');
  fs.mkdirSync(sd, { recursive: true });
  const name = String(s).padStart(5, '0');
  // write to temporaries then rename: a shard exists completely or not at all
  const put = (file: string, arr: Parameters<typeof writeNpy>[1]) => {
    const tmp = path.join(sd, `${file}.tmp`);
    writeNpy(tmp, arr);
    fs.renameSync(tmp, path.join(sd, file));
  };
  if (out.patches) put(`${name}.patches.npy`, { dtype: 'float16', shape: [b, t, d], data: float32ToFloat16(out.patches) });
  for (const [k, v] of out.blocks ?? []) put(`${name}.block-${k}.npy`, { dtype: 'float16', shape: [b, t, d], data: float32ToFloat16(v) });
  // cls last: its presence marks the shard complete
  put(`${name}.cls.npy`, { dtype: 'float32', shape: [b, d], data: out.cls });
}

export function shardComplete(dir: string, s: number): boolean {
  return fs.existsSync(path.join(dir, 'shards', `${String(s).padStart(5, '0')}.cls.npy`));
}

export function readProgress(dir: string): Progress | undefined {
  const p = path.join(dir, 'progress.json');
  return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as Progress) : undefined;
}

export function writeProgress(dir: string, p: Progress): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'progress.json.tmp'), JSON.stringify(p));
  fs.renameSync(path.join(dir, 'progress.json.tmp'), path.join(dir, 'progress.json'));
}

/** Concatenates the shards into the final arrays, writes them and meta.json (last), removes shards and progress. */
export function finalizeEntry(dir: string, meta: Omit<FeatureMeta, 'files'>, shards: number, blockIds: number[], withPatches: boolean): FeatureMeta {
  const t = meta.gridH * meta.gridW;
  const d = meta.dim;
  const sd = path.join(dir, 'shards');
  const cat = (suffix: string, rowLen: number, dtype: 'float32' | 'float16'): void => {
    const data = dtype === 'float32' ? new Float32Array(meta.n * rowLen) : new Uint16Array(meta.n * rowLen);
    let off = 0;
    for (let s = 0; s < shards; s++) {
      const a = readNpy(path.join(sd, `${String(s).padStart(5, '0')}.${suffix}.npy`));
      data.set(a.data as Float32Array & Uint16Array, off);
      off += a.data.length;
    }
    if (off !== data.length) throw new Error(`${sd}: shards hold ${off} values of ${suffix}, expected ${data.length}`);
    writeNpy(path.join(dir, `${suffix}.npy`), { dtype, shape: rowLen === d ? [meta.n, d] : [meta.n, t, d], data });
  };
  cat('cls', d, 'float32');
  const files: FeatureMeta['files'] = { cls: 'cls.npy', blocks: {} };
  if (withPatches) { cat('patches', t * d, 'float16'); files.patches = 'patches.npy'; }
  for (const k of blockIds) { cat(`block-${k}`, t * d, 'float16'); files.blocks[String(k)] = `block-${k}.npy`; }
  const full: FeatureMeta = { ...meta, files };
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(full, null, 1));
  fs.rmSync(sd, { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'progress.json'), { force: true });
  return full;
}
