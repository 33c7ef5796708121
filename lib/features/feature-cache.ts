/**
 * On-disk layout of one cached FeatureSet (readable from Python with np.load). One entry per (encoder, dataset, split,
 * preprocessing); its arrays ("components") are added as they are requested, never removed or rewritten:
 *   <cacheDir>/<key>/meta.json         ids (in row order), n, dim, gridH, gridW, dtypes, key parts, `files` (the
 *                                       components present), `sha256` of each array file (checked on read) —
 *                                       rewritten (atomically) LAST whenever a component is added
 *   <cacheDir>/<key>/cls.npy           float32 [N, D]
 *   <cacheDir>/<key>/patches.npy       float16 [N, T, D]      (once requested with patches)
 *   <cacheDir>/<key>/block-<k>.npy     float16 [N, T, D]      (once intermediate block k is requested)
 *   <cacheDir>/<key>/.lock             while a process extracts (./entry-lock)
 * While extracting: shards/<s>.<component>.npy per batch (cls last: it marks the shard complete) and progress.json
 * ({ key, batchSize, components, grid }) so an interrupted extraction resumes with the shards it lacks.
 * Every file is written to a unique temporary name in its folder and renamed into place: a reader never sees a
 * partial file, and two writers racing on the same key leave one complete copy.
 */
import * as fs from 'fs';
import * as path from 'path';
import { asFloat32, decodeNpy, encodeNpy, float32ToFloat16, NdArray, readNpy, sha256 } from '../io';
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
  /**
   * sha256 (hex) of each array file, checked on every read: a same-size corruption (bad sector, an edit) keeps a
   * readable .npy of the right shape, which nothing else would notice. Entries written before it have none.
   */
  sha256?: Record<string, string>;
  createdWith: string;
}

/** What a caller wants from an entry besides CLS. */
export interface Wanted { patches: boolean; blocks: readonly number[] }

/** An array of an entry: 'cls', 'patches' or 'block-<k>' (also its file stem). */
export type Component = 'cls' | 'patches' | `block-${number}`;

export interface Progress {
  key: string;
  batchSize: number;
  /** Components the shards hold (besides cls, always written). */
  components: Component[];
  /** Patch grid, once the first shard is written. */
  grid?: { h: number; w: number; d: number };
}

export const entryDir = (cacheDir: string, key: string): string => path.join(cacheDir, key);
const shardName = (s: number) => String(s).padStart(5, '0');

/** Writes `data` to a unique temporary file next to `file`, then renames it into place (atomic on one filesystem). */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

const putNpy = (file: string, arr: NdArray) => writeAtomic(file, encodeNpy(arr));

/** An array file whose bytes no longer match its checksum; extractFeatures extracts such an entry again. */
export class CorruptEntryError extends Error {
  constructor(readonly file: string, readonly dir: string) {
    super(`${file}: checksum does not match meta.json (the file changed after it was written); delete ${dir} to re-extract`);
  }
}

/** Removes everything of an entry but its lock (held by the caller), so it is extracted again from scratch. */
export function clearEntry(dir: string): void {
  for (const f of fs.readdirSync(dir)) if (f !== '.lock') fs.rmSync(path.join(dir, f), { recursive: true, force: true });
}

/** meta.json of a complete entry, or undefined when absent. */
export function readMeta(dir: string): FeatureMeta | undefined {
  const metaPath = path.join(dir, 'meta.json');
  let text: string;
  try {
    text = fs.readFileSync(metaPath, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as FeatureMeta;
  } catch (e) {
    throw new Error(`${metaPath}: not valid JSON (${(e as Error).message}); delete the folder to re-extract`);
  }
}

/** Components `want` needs that the entry (meta; undefined = no entry yet) lacks. cls comes with every new entry. */
export function missingComponents(meta: FeatureMeta | undefined, want: Wanted): Component[] {
  const out: Component[] = [];
  if (!meta) out.push('cls');
  if (want.patches && !meta?.files.patches) out.push('patches');
  for (const b of want.blocks) if (!meta?.files.blocks[String(b)]) out.push(`block-${b}`);
  return out;
}

/**
 * Reads a complete cache entry, or undefined when absent. With `want`, only CLS and the wanted components (which must be
 * present); without, every component. Throws on a corrupt one, naming the file.
 */
export function readEntry(dir: string, meta = readMeta(dir), want?: Wanted): FeatureSet | undefined {
  if (!meta) return undefined;
  const t = meta.gridH * meta.gridW;
  const load = (file: string, shape: number[]) => {
    const f = path.join(dir, file);
    const bytes = fs.readFileSync(f);
    const want = meta.sha256?.[file];
    if (want !== undefined && sha256(bytes) !== want) throw new CorruptEntryError(f, dir);
    const a = decodeNpy(bytes, f);
    if (a.shape.length !== shape.length || a.shape.some((s, i) => s !== shape[i])) throw new Error(`${f}: shape [${a.shape}] does not match meta.json [${shape}]`);
    return asFloat32(a);
  };
  const need = (what: string, file: string | undefined) => {
    if (!file) throw new Error(`${path.join(dir, 'meta.json')}: entry has no ${what}`);
    return file;
  };
  const cls = load(meta.files.cls, [meta.n, meta.dim]);
  const withPatches = want ? want.patches : meta.files.patches !== undefined;
  const patches = withPatches ? load(need('patches', meta.files.patches), [meta.n, t, meta.dim]) : undefined;
  const blockIds = want ? [...want.blocks] : Object.keys(meta.files.blocks).map(Number);
  const blocks = new Map(blockIds.map((k) => [k, load(need(`block ${k}`, meta.files.blocks[String(k)]), [meta.n, t, meta.dim])]));
  return {
    key: meta.key, dir, encoder: meta.parts.encoder, dataset: meta.parts.dataset, split: meta.parts.split, ids: meta.ids,
    n: meta.n, dim: meta.dim, gridH: meta.gridH, gridW: meta.gridW, cls, patches,
    blocks: blocks.size > 0 ? blocks : undefined,
  };
}

/** Writes batch `s`'s components (float16 except cls); cls last, so its presence marks the shard complete. */
export function writeShard(dir: string, s: number, out: { cls: Float32Array; patches?: Float32Array; blocks?: Map<number, Float32Array> }, b: number, d: number, t: number): void {
  const sd = path.join(dir, 'shards');
  fs.mkdirSync(sd, { recursive: true });
  const name = shardName(s);
  if (out.patches) putNpy(path.join(sd, `${name}.patches.npy`), { dtype: 'float16', shape: [b, t, d], data: float32ToFloat16(out.patches) });
  for (const [k, v] of out.blocks ?? []) putNpy(path.join(sd, `${name}.block-${k}.npy`), { dtype: 'float16', shape: [b, t, d], data: float32ToFloat16(v) });
  putNpy(path.join(sd, `${name}.cls.npy`), { dtype: 'float32', shape: [b, d], data: out.cls });
}

export function shardComplete(dir: string, s: number): boolean {
  return fs.existsSync(path.join(dir, 'shards', `${shardName(s)}.cls.npy`));
}

export function readProgress(dir: string): Progress | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'progress.json'), 'utf8')) as Progress;
  } catch {
    return undefined;
  }
}

export function writeProgress(dir: string, p: Progress): void {
  fs.mkdirSync(dir, { recursive: true });
  writeAtomic(path.join(dir, 'progress.json'), JSON.stringify(p));
}

/**
 * Concatenates the shards of `components` into the entry's arrays, then writes meta.json (last) listing them together
 * with what the entry already held (`prev`); removes shards and progress.
 */
export function finalizeEntry(dir: string, meta: Omit<FeatureMeta, 'files'>, shards: number, components: readonly Component[], prev?: FeatureMeta): FeatureMeta {
  const t = meta.gridH * meta.gridW;
  const d = meta.dim;
  const sd = path.join(dir, 'shards');
  const cat = (c: Component): string => {
    const isCls = c === 'cls';
    const rowLen = isCls ? d : t * d;
    const data = isCls ? new Float32Array(meta.n * rowLen) : new Uint16Array(meta.n * rowLen);
    let off = 0;
    for (let s = 0; s < shards; s++) {
      const a = readNpy(path.join(sd, `${shardName(s)}.${c}.npy`));
      data.set(a.data as Float32Array & Uint16Array, off);
      off += a.data.length;
    }
    if (off !== data.length) throw new Error(`${sd}: shards hold ${off} values of ${c}, expected ${data.length}`);
    const bytes = encodeNpy({ dtype: isCls ? 'float32' : 'float16', shape: isCls ? [meta.n, d] : [meta.n, t, d], data });
    writeAtomic(path.join(dir, `${c}.npy`), bytes);
    sums[`${c}.npy`] = sha256(bytes);
    return `${c}.npy`;
  };
  // an entry written before checksums keeps its unchecked files unchecked; new components get theirs
  const sums: Record<string, string> = { ...prev?.sha256 };
  const files: FeatureMeta['files'] = prev ? { ...prev.files, blocks: { ...prev.files.blocks } } : { cls: 'cls.npy', blocks: {} };
  for (const c of components) {
    const file = cat(c);
    if (c === 'cls') files.cls = file;
    else if (c === 'patches') files.patches = file;
    else files.blocks[c.slice('block-'.length)] = file;
  }
  const full: FeatureMeta = { ...meta, files, sha256: sums };
  writeAtomic(path.join(dir, 'meta.json'), JSON.stringify(full, null, 1));
  fs.rmSync(sd, { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'progress.json'), { force: true });
  return full;
}
