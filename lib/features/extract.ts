/**
 * Frozen-encoder feature extraction through the on-disk cache (./feature-cache): each (encoder, dataset, split,
 * preprocessing) runs once; a later call with the same inputs loads the arrays; a changed input changes the key
 * (./cache-key). Extraction writes one shard per batch plus progress.json, so an interrupted run resumes where it stopped.
 * Image decoding of batch k+1 overlaps the encoder's work on batch k. One process: the ONNX encoder already runs
 * ONNX Runtime's own intra-op threads on every core, so a worker pool would only compete for them.
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
import type { Encoder, EncoderOutput } from './encoder';
import { entryDir, finalizeEntry, readEntry, readProgress, shardComplete, writeProgress, writeShard } from './feature-cache';
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
  onProgress: z.function().args(z.number(), z.number()).returns(z.unknown()).optional(),
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
  const blocks = [...new Set(o.blocks ?? [])].sort((a, b) => a - b);
  const fingerprint = await fingerprintImages(samples, ids, o.fingerprint);
  const parts = keyParts(encoder, { dataset: samples.dataset, datasetKey: o.datasetKey, fingerprint, split, ids, blocks, patches: o.patches });
  const key = cacheKey(parts);
  const dir = entryDir(o.cacheDir, key);
  const cached = readEntry(dir);
  if (cached) {
    o.onProgress?.(ids.length, ids.length);
    return cached;
  }
  fs.mkdirSync(dir, { recursive: true });
  const bs = o.batchSize;
  const shards = Math.ceil(ids.length / bs);
  // resume only shards written with the same batch size under the same key
  const prev = readProgress(dir);
  if (prev && (prev.key !== key || prev.batchSize !== bs)) fs.rmSync(path.join(dir, 'shards'), { recursive: true, force: true });
  let first = 0;
  if (prev && prev.key === key && prev.batchSize === bs) while (first < shards && shardComplete(dir, first)) first++;
  writeProgress(dir, { key, batchSize: bs, done: first });
  let grid = { h: 0, w: 0, d: encoder.dim };
  const load = (s: number) => loadBatch(samples, ids.slice(s * bs, Math.min(ids.length, (s + 1) * bs)), encoder);
  let pending = first < shards ? load(first) : undefined;
  o.onProgress?.(Math.min(first * bs, ids.length), ids.length);
  for (let s = first; s < shards; s++) {
    const pixels = await (pending as Promise<Float32Array>);
    pending = s + 1 < shards ? load(s + 1) : undefined; // decode the next batch while this one is embedded
    const b = Math.min(ids.length, (s + 1) * bs) - s * bs;
    let out: EncoderOutput;
    try {
      out = await encoder.embed(pixels, b, { blocks: blocks.length ? blocks : undefined });
    } catch (e) {
      pending?.catch(() => undefined);
      throw e;
    }
    if (out.batch !== b || out.dim !== encoder.dim) throw new Error(`extractFeatures: encoder ${encoder.name} returned batch ${out.batch} × dim ${out.dim}, expected ${b} × ${encoder.dim}`);
    grid = { h: out.gridH, w: out.gridW, d: out.dim };
    for (const k of blocks) if (!out.blocks?.has(k)) throw new Error(`extractFeatures: encoder ${encoder.name} did not return block ${k}`);
    writeShard(dir, s, { cls: out.cls, patches: o.patches ? out.patches : undefined, blocks: out.blocks && blocks.length ? new Map(blocks.map((k) => [k, out.blocks!.get(k)!])) : undefined }, b, out.dim, out.gridH * out.gridW);
    writeProgress(dir, { key, batchSize: bs, done: s + 1 });
    o.onProgress?.(Math.min((s + 1) * bs, ids.length), ids.length);
  }
  if (first === shards || grid.h === 0) {
    // everything came from shards of an interrupted run: recover the grid from a shard's shape
    const { readNpy } = await import('../io');
    const t = o.patches ? readNpy(path.join(dir, 'shards', '00000.patches.npy')).shape[1] : encoder.inputSize ** 2 / encoder.patchSize ** 2;
    const side = Math.round(Math.sqrt(t));
    grid = { h: side, w: t / side, d: encoder.dim };
  }
  const meta = finalizeEntry(dir, {
    key, parts, ids, n: ids.length, dim: grid.d, gridH: grid.h, gridW: grid.w,
    dtypes: { cls: 'float32', patches: 'float16', blocks: 'float16' }, createdWith: 'raydino-lab extractFeatures',
  }, shards, blocks, o.patches);
  return readEntry(dir, meta) as FeatureSet;
}
