/**
 * loadSynthetic: the embedded default dataset as a SampleTable. Images are generated on first use and cached under
 * `<cacheDir>/<hash of the resolved options>/` as uint8 .npy shards [count, size, size] (readable with np.load) plus
 * meta.json (rows, boxes, shard index with each shard's sha256, checked when the shard is read); later loads read the
 * cache. Masks are not stored: they are re-derived from the study's spec (deterministic, a few ms per image at
 * 224 px), which keeps the cache at one byte per pixel.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as aq from 'arquero';
import { createRng } from '../../engine/rng';
import { removeStaleTmp } from '../../engine/stale-tmp';
import { decodeNpy, encodeNpy } from '../../io/npy';
import { sha256 } from '../../io/hash';
import type { Box, GreyImage, SampleTable } from '../types';
import { ANATOMY, COVID3_CLASSES, FINDINGS, SPINE_LEVELS } from './catalogue';
import { COBB_TARGETS } from '../targets';
import { defaultCacheDir, GENERATOR_VERSION, resolveSyntheticOptions, ResolvedSyntheticOptions, SyntheticOptions } from './options';
import { generatePhantom } from './phantom';
import { buildPlan, planSpecs } from './plan';
import { labelNamesFor, PhantomSpec, Variant } from './spec';

const SHARD = 1024;

interface CacheMeta {
  version: number;
  key: string;
  options: Omit<ResolvedSyntheticOptions, 'cacheDir'>;
  rows: Record<string, unknown>[];
  boxes: Box[];
  /** sha256 (hex) of each shard file, checked when the shard is read (caches written before it have none). */
  shards: { file: string; start: number; count: number; sha256?: string }[];
}

export function maskClassesFor(variant: Variant): string[] {
  if (variant === 'spine') return [...SPINE_LEVELS];
  const findingMasks = variant === 'cxr' ? FINDINGS.filter((f) => f.masked).map((f) => f.name) : ['Consolidation'];
  return [...ANATOMY, ...findingMasks];
}

/** Cache key: a hash of everything that changes the bytes (not the cache folder, not the display name). */
export function syntheticCacheKey(o: ResolvedSyntheticOptions): string {
  const { cacheDir: _c, name: _n, ...rest } = o;
  return createHash('sha1').update(JSON.stringify({ v: GENERATOR_VERSION, ...rest })).digest('hex').slice(0, 16);
}

function rowOf(o: ResolvedSyntheticOptions, spec: PhantomSpec, plan: ReturnType<typeof buildPlan>[number], labelNames: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {
    id: plan.id, path: null, patient: plan.patient, study: plan.study, view: spec.view, sex: spec.sex, age: spec.age,
    age_bin: spec.ageBin, population: spec.population, split: plan.split, width: o.size, height: o.size,
  };
  for (const l of labelNames) row[l] = spec.labels[l] ?? 0;
  if (o.variant === 'covid3') row.class = spec.classIndex;
  if (o.variant === 'spine' && spec.spine) {
    row.cobb_pt = spec.spine.cobb.pt; row.cobb_mt = spec.spine.cobb.mt; row.cobb_tl = spec.spine.cobb.tl;
    row.landmarks = spec.spine.landmarks.flatMap((c) => c.flatMap(([x, y]) => [x * o.size, y * o.size]));
  }
  if (o.variant === 'cxr') row.brace = spec.brace ? 1 : 0;
  return row;
}

function generate(o: ResolvedSyntheticOptions, dir: string, key: string): CacheMeta {
  const plan = buildPlan(o);
  const specs = planSpecs(o, plan);
  const labelNames = labelNamesFor(o.variant);
  const S = o.size;
  const tmp = `${dir}.tmp-${process.pid}`;
  removeStaleTmp(path.dirname(dir), /\.tmp-(\d+)$/); // folders of generations that were killed
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const rows: Record<string, unknown>[] = [];
  const boxes: Box[] = [];
  const shards: CacheMeta['shards'] = [];
  for (let start = 0; start < specs.length; start += SHARD) {
    const count = Math.min(SHARD, specs.length - start);
    const data = new Uint8Array(count * S * S);
    for (let k = 0; k < count; k++) {
      const i = start + k;
      const ph = generatePhantom(specs[i], createRng(specs[i].seed), { size: S, masks: false });
      const px = ph.image.data;
      const off = k * S * S;
      for (let j = 0; j < px.length; j++) data[off + j] = Math.round(px[j] * 255);
      rows.push(rowOf(o, specs[i], plan[i], labelNames));
      for (const b of ph.boxes) boxes.push({ id: plan[i].id, label: b.label, x: b.x, y: b.y, w: b.w, h: b.h });
    }
    const file = `images-${String(shards.length).padStart(3, '0')}.npy`;
    const bytes = encodeNpy({ dtype: 'uint8', shape: [count, S, S], data });
    fs.writeFileSync(path.join(tmp, file), bytes);
    shards.push({ file, start, count, sha256: sha256(bytes) });
  }
  const { cacheDir: _c, ...options } = o;
  const meta: CacheMeta = { version: GENERATOR_VERSION, key, options, rows, boxes, shards };
  fs.writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify(meta));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return meta;
}

function readMeta(dir: string, key: string): CacheMeta | null {
  const f = path.join(dir, 'meta.json');
  if (!fs.existsSync(f)) return null;
  try {
    const m = JSON.parse(fs.readFileSync(f, 'utf8')) as CacheMeta;
    if (m.version !== GENERATOR_VERSION || m.key !== key) return null;
    if (!m.shards.every((s) => fs.existsSync(path.join(dir, s.file)))) return null;
    return m;
  } catch {
    return null; // corrupt / partial cache entry: regenerate
  }
}

/**
 * Load (generating and caching on first use) a synthetic dataset.
 *
 * @example
 * const ds = await loadSynthetic({ variant: 'cxr', n: 2000, size: 112, seed: 0, populations: { popA: 1 } });
 * ds.table.filter((d) => d.split === 'train').numRows();
 * const img = await ds.loadImage(ds.table.get('id', 0));
 */
export async function loadSynthetic(options: SyntheticOptions): Promise<SampleTable> {
  const o = resolveSyntheticOptions(options);
  const key = syntheticCacheKey(o);
  const dir = path.join(o.cacheDir ?? defaultCacheDir(), key);
  const meta = readMeta(dir, key) ?? generate(o, dir, key);
  const labelNames = labelNamesFor(o.variant);
  const S = o.size;

  const columns: Record<string, unknown[]> = {};
  const names = Object.keys(meta.rows[0] ?? {});
  for (const c of names) columns[c] = meta.rows.map((r) => r[c]);
  const table = aq.table(columns);
  const indexOf = new Map<string, number>(meta.rows.map((r, i) => [r.id as string, i]));

  const shardCache = new Map<number, Uint8Array>();
  const shardOf = (i: number) => {
    const s = Math.floor(i / SHARD);
    let d = shardCache.get(s);
    if (!d) {
      const file = path.join(dir, meta.shards[s].file);
      const bytes = fs.readFileSync(file);
      // a same-size corruption would otherwise pass as different images under the same ids
      const want = meta.shards[s].sha256;
      if (want !== undefined && sha256(bytes) !== want) {
        throw new Error(`${file}: checksum does not match meta.json (the file changed after it was written); delete ${dir} to regenerate`);
      }
      d = decodeNpy(bytes, file).data as Uint8Array;
      if (shardCache.size >= 2) shardCache.delete(shardCache.keys().next().value as number);
      shardCache.set(s, d);
    }
    return { data: d, offset: (i - s * SHARD) * S * S };
  };
  const lookup = (id: string) => {
    const i = indexOf.get(id);
    if (i === undefined) throw new Error(`synthetic dataset ${key}: unknown sample id ${id}`);
    return i;
  };
  let specs: PhantomSpec[] | null = null;
  const maskClasses = maskClassesFor(o.variant);

  return {
    dataset: o.name ?? `synthetic-${o.variant}`,
    table,
    labelNames,
    classNames: o.variant === 'covid3' ? [...COVID3_CLASSES] : undefined,
    targetNames: o.variant === 'spine' ? [...COBB_TARGETS] : undefined,
    maskClasses,
    boxes: meta.boxes,
    problems: [],
    async loadImage(id: string): Promise<GreyImage> {
      const { data, offset } = shardOf(lookup(id));
      const out = new Float32Array(S * S);
      for (let j = 0; j < out.length; j++) out[j] = data[offset + j] / 255;
      return { width: S, height: S, data: out };
    },
    async loadMasks(id: string): Promise<(Uint8Array | null)[]> {
      const i = lookup(id);
      if (!specs) specs = planSpecs(o, buildPlan(o));
      const ph = generatePhantom(specs[i], createRng(specs[i].seed), { size: S, masks: true });
      return maskClasses.map((c) => ph.masks.get(c) ?? new Uint8Array(S * S));
    },
  };
}
