/**
 * Frozen-encoder feature extraction through the on-disk cache (./feature-cache): each (encoder, dataset, split,
 * preprocessing) runs once; a later call with the same inputs loads the arrays; a changed input changes the key
 * (./cache-key). Patches and intermediate blocks are components of that one entry: a request for blocks the entry lacks
 * embeds the images again for those blocks only, and a request for fewer arrays is served from the entry.
 * Extraction writes one shard per batch plus progress.json, so an interrupted run resumes with the missing shards; a
 * per-entry lock (./entry-lock) makes a second process wait for the first instead of extracting the same key again.
 * An entry whose array fails its checksum (./feature-cache) is extracted again, with a note on stderr.
 * Decoding of batch k+1 starts before batch k is embedded. With `workers` > 1 the encoder runs in that many worker
 * threads (./embed-pool: 1 ONNX Runtime thread each, contiguous sub-batches, output identical) while this thread decodes;
 * 'auto' picks by model size and job size (autoWorkers; figures in docs/eval.md §1).
 *
 * @example
 * const train = await extractFeatures(encoder, samples, { split: 'train', batchSize: 32, cacheDir: 'cache/features' });
 * train.cls;      // Float32Array [N, D]
 * train.patches;  // Float32Array [N, T, D] (stored as float16)
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { loadBatch } from '../data/preprocess';
import type { SampleTable, Split } from '../data/types';
import { cacheKey, keyParts } from './cache-key';
import { autoWorkers, createEmbedPool } from './embed-pool';
import type { Encoder, EncoderOutput } from './encoder';
import { withEntryLock } from './entry-lock';
import {
  clearEntry, Component, CorruptEntryError, entryDir, FeatureMeta, finalizeEntry, missingComponents, readEntry, readMeta, readProgress, shardComplete, Wanted,
  writeProgress, writeShard,
} from './feature-cache';
import type { FeatureSet } from './feature-set';

export const extractOptionsSchema = z.object({
  split: z.enum(['train', 'val', 'test']).optional(),
  /** Intermediate blocks to store as well (segmentation pyramids). */
  blocks: z.array(z.number().int().nonnegative()).optional(),
  batchSize: z.number().int().positive().default(32),
  cacheDir: z.string().min(1),
  /** Store patch tokens (needed by attentive pooling, explainability, segmentation). */
  patches: z.boolean().default(true),
  /** The dataset's identity beyond its name: manifest hash, generator options (synthetic), … */
  datasetKey: z.string().optional(),
  /** How generated (path-less) images enter the key: every image's pixels ('full') or three of them ('sample'). */
  fingerprint: z.enum(['full', 'sample']).default('full'),
  /** Worker threads running the encoder (1 ONNX Runtime thread each); 1 = this thread; 'auto' = by model size. */
  workers: z.union([z.number().int().positive(), z.literal('auto')]).default('auto'),
  onProgress: z.function().args(z.number(), z.number()).returns(z.unknown()).optional(),
  /** Called once when another process holds this entry's lock and this call waits for it. */
  onWait: z.function().args(z.string()).returns(z.unknown()).optional(),
}).strict();
export type ExtractOptions = z.input<typeof extractOptionsSchema>;

/** Sample ids of a split (all rows when split is undefined), in table order. */
export function splitIds(samples: SampleTable, split?: Split): string[] {
  const ids = samples.table.array('id') as ArrayLike<string>;
  const splits = samples.table.array('split') as ArrayLike<string>;
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) if (split === undefined || splits[i] === split) out.push(String(ids[i]));
  return out;
}

/**
 * Content fingerprint of the images: size and mtime of every file-backed image; for generated images (no path) the
 * decoded pixels of every one (a changed generator under the same ids must not serve stale features), or with
 * `mode: 'sample'` only of the first, middle and last (then pass the generator options as `datasetKey`).
 */
export async function fingerprintImages(samples: SampleTable, ids: readonly string[], mode: 'full' | 'sample' = 'full'): Promise<string> {
  const hash = createHash('sha256');
  const idCol = samples.table.array('id') as ArrayLike<string>;
  const pathCol = samples.table.columnNames().includes('path') ? (samples.table.array('path') as ArrayLike<string | null>) : undefined;
  const pathOf = new Map<string, string | null>();
  for (let i = 0; i < idCol.length; i++) pathOf.set(String(idCol[i]), pathCol ? pathCol[i] : null);
  const probe = new Set(mode === 'full' ? ids.map((_, i) => i) : [0, Math.floor(ids.length / 2), ids.length - 1]);
  for (let i = 0; i < ids.length; i++) {
    const p = pathOf.get(ids[i]);
    if (p) {
      try {
        const st = fs.statSync(p);
        hash.update(`${ids[i]}:${p}:${st.size}:${st.mtimeMs}\n`);
      } catch {
        hash.update(`${ids[i]}:${p}:missing\n`);
      }
    } else if (probe.has(i)) {
      const img = await samples.loadImage(ids[i]);
      hash.update(`${ids[i]}:${img.width}x${img.height}\n`);
      hash.update(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength));
    }
  }
  return hash.digest('hex');
}

/** Extracts (or loads from the cache) the features of one split. */
export async function extractFeatures(encoder: Encoder, samples: SampleTable, options: ExtractOptions): Promise<FeatureSet> {
  const o = extractOptionsSchema.parse(options);
  const ids = splitIds(samples, o.split);
  const split = o.split ?? 'all';
  if (ids.length === 0) throw new Error(`extractFeatures: dataset ${samples.dataset} has no samples in split ${split}`);
  const seen = new Set<string>();
  const dupe = ids.find((id) => (seen.has(id) ? true : (seen.add(id), false)));
  if (dupe !== undefined) throw new Error(`extractFeatures: sample id ${dupe} appears twice in ${samples.dataset}/${split}`);
  const want: Wanted = { patches: o.patches, blocks: [...new Set(o.blocks ?? [])].sort((a, b) => a - b) };
  const fingerprint = await fingerprintImages(samples, ids, o.fingerprint);
  const parts = keyParts(encoder, { dataset: samples.dataset, datasetKey: o.datasetKey, fingerprint, split, ids });
  const key = cacheKey(parts);
  const dir = entryDir(o.cacheDir, key);
  // a complete entry is served; one whose array fails its checksum is extracted again under the lock, not served
  const serve = (meta: FeatureMeta | undefined): FeatureSet | CorruptEntryError | undefined => {
    if (!meta || missingComponents(meta, want).length > 0) return undefined;
    try {
      o.onProgress?.(ids.length, ids.length);
      return readEntry(dir, meta, want) as FeatureSet;
    } catch (e) {
      if (e instanceof CorruptEntryError) return e;
      throw e;
    }
  };
  const fromCache = serve(readMeta(dir));
  if (fromCache && !(fromCache instanceof CorruptEntryError)) return fromCache;
  return withEntryLock(dir, async (lock) => {
    let prev = readMeta(dir); // another process may have completed (or re-extracted) the entry while we waited
    const hit = serve(prev);
    if (hit instanceof CorruptEntryError) {
      console.error(`note: feature cache ${hit.file} does not match its checksum: extracting ${dir} again`);
      clearEntry(dir);
      prev = undefined;
    } else if (hit) {
      return hit;
    }
    const missing = missingComponents(prev, want);
    const grid = await embedShards(encoder, samples, ids, { dir, key, batchSize: o.batchSize, missing, workers: o.workers, onProgress: o.onProgress, touch: lock.touch });
    const meta = finalizeEntry(dir, {
      key, parts, ids, n: ids.length, dim: grid.d, gridH: grid.h, gridW: grid.w,
      dtypes: { cls: 'float32', patches: 'float16', blocks: 'float16' }, createdWith: 'raydino-lab extractFeatures',
    }, Math.ceil(ids.length / o.batchSize), missing, prev);
    return readEntry(dir, meta, want) as FeatureSet;
  }, { onWait: (h) => o.onWait?.(`feature cache ${dir}: waiting for process ${h.pid} on ${h.host}, which is extracting it`) });
}

interface ShardJob {
  dir: string;
  key: string;
  batchSize: number;
  /** Components to write (cls is always written: it marks a shard complete). */
  missing: Component[];
  workers: number | 'auto';
  onProgress?: (done: number, total: number) => unknown;
  touch(): void;
}

/**
 * Embeds every batch whose shard is not on disk yet (resuming an interrupted run with the same batch size and
 * components), writing one shard per batch; returns the patch grid.
 */
async function embedShards(encoder: Encoder, samples: SampleTable, ids: string[], job: ShardJob): Promise<{ h: number; w: number; d: number }> {
  const { dir, key, missing } = job;
  const bs = job.batchSize;
  const shards = Math.ceil(ids.length / bs);
  const blocks = missing.filter((c) => c.startsWith('block-')).map((c) => Number(c.slice('block-'.length)));
  const withPatches = missing.includes('patches');
  const prev = readProgress(dir);
  const resumable = prev !== undefined && prev.key === key && prev.batchSize === bs && Array.isArray(prev.components)
    && [...prev.components].sort().join() === [...missing].sort().join();
  if (!resumable) fs.rmSync(path.join(dir, 'shards'), { recursive: true, force: true });
  let grid = resumable ? prev.grid : undefined;
  writeProgress(dir, { key, batchSize: bs, components: missing, grid });
  const todo = Array.from({ length: shards }, (_, s) => s).filter((s) => !shardComplete(dir, s));
  const rows = (s: number) => ids.slice(s * bs, Math.min(ids.length, (s + 1) * bs));
  let done = ids.length - todo.reduce((sum, s) => sum + rows(s).length, 0);
  job.onProgress?.(done, ids.length);
  if (todo.length === 0) {
    if (!grid) throw new Error(`${dir}: every shard is on disk but progress.json has no grid; delete the folder to re-extract`);
    return grid;
  }
  const workers = job.workers === 'auto' ? autoWorkers(encoder, ids.length - done) : job.workers;
  const pool = workers > 1 ? await createEmbedPool(encoder, workers) : undefined;
  const embed = (px: Float32Array, b: number) => (pool ?? encoder).embed(px, b, { blocks: blocks.length ? blocks : undefined });
  let pending: Promise<Float32Array> | undefined = loadBatch(samples, rows(todo[0]), encoder);
  try {
    for (let i = 0; i < todo.length; i++) {
      const s = todo[i];
      const pixels = await (pending as Promise<Float32Array>);
      // decode the next batch while this one is embedded
      pending = i + 1 < todo.length ? loadBatch(samples, rows(todo[i + 1]), encoder) : undefined;
      const b = rows(s).length;
      const out: EncoderOutput = await embed(pixels, b);
      // a user's .onnx learns its width on the first batch (in the worker, when pooled): then the first batch sets it
      const dim = grid?.d ?? (encoder.dim || out.dim);
      if (out.batch !== b || out.dim !== dim) throw new Error(`extractFeatures: encoder ${encoder.name} returned batch ${out.batch} × dim ${out.dim}, expected ${b} × ${dim}`);
      for (const k of blocks) if (!out.blocks?.has(k)) throw new Error(`extractFeatures: encoder ${encoder.name} did not return block ${k}`);
      if (!grid) {
        grid = { h: out.gridH, w: out.gridW, d: out.dim };
        writeProgress(dir, { key, batchSize: bs, components: missing, grid });
      }
      writeShard(dir, s, { cls: out.cls, patches: withPatches ? out.patches : undefined, blocks: blocks.length ? new Map(blocks.map((k) => [k, out.blocks!.get(k)!])) : undefined }, b, out.dim, out.gridH * out.gridW);
      job.touch();
      done += b;
      job.onProgress?.(done, ids.length);
    }
  } finally {
    pending?.catch(() => undefined); // an error above leaves a decode in flight: do not let it surface unhandled
    await pool?.close();
  }
  return grid as { h: number; w: number; d: number };
}
