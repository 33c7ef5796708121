/**
 * loadDataset: manifest → parser → image checks → patient-level splits → SampleTable.
 *
 * @example
 * const ds = await loadDataset('covid-chestxray', { split: 'train' });
 * ds.table.print(); const img = await ds.loadImage(ds.table.get('id', 0));
 */
import fs from 'fs';
import path from 'path';
import { assignSplits } from './split';
import { buildSampleTable } from './build-table';
import { probeImage } from './image';
import { LabelPolicySchema, loadManifest, parseManifest, type Manifest } from './manifest';
import { PARSERS } from './parsers';
import { DatasetNotFoundError, resolveDataRoot } from './paths';
import type { LoadOptions, ParserContext, Problem, SampleRecord } from './record';
import type { SampleTable, Split } from './types';

export type { LoadOptions } from './record';

/** Interface of lib/data/synthetic (owned by the phantom generator); loaded lazily so lib/data works without it. */
interface SyntheticModule { loadSynthetic(options: Record<string, unknown>): Promise<SampleTable> }

/** Run `fn` over `items` with at most `limit` in flight (bounded memory for large datasets). */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => { for (let i = next++; i < items.length; i = next++) await fn(items[i], i); };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function resolveManifest(m: string | Manifest | Record<string, unknown>): Manifest {
  return typeof m === 'string' ? loadManifest(m) : parseManifest(m, '(object)');
}

/** Filter a built SampleTable to one split; with `val: 'train'` the training rows serve as validation. */
function selectSplit(st: SampleTable, split: Split, valIsTrain: boolean): SampleTable {
  const want = split === 'val' && valIsTrain ? 'train' : split;
  // arquero filter with a parameter (no closure capture in table expressions)
  let table = st.table.params({ want }).filter((d: { split: string }, $: { want: string }) => d.split === $.want);
  if (want !== split) table = table.derive({ split: () => 'val' });
  const ids = new Set(table.array('id') as string[]);
  return { ...st, table, boxes: st.boxes?.filter((b) => ids.has(b.id)) };
}

async function loadSyntheticDataset(m: Manifest, opts: LoadOptions): Promise<SampleTable> {
  let mod: SyntheticModule;
  const modPath = './synthetic';
  try {
    mod = require(modPath) as SyntheticModule; // eslint-disable-line @typescript-eslint/no-require-imports
  } catch (e) {
    throw new Error(`dataset ${m.id}: lib/data/synthetic is not available (${(e as Error).message})`);
  }
  const options = { ...m.generator, ...opts.generator, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) };
  const st = await mod.loadSynthetic(options);
  return opts.split ? selectSplit(st, opts.split, m.split.val === 'train') : st;
}

/**
 * Load a dataset by manifest id (data-manifests/<id>.json), path to a manifest file, or a manifest object.
 * Missing/corrupt images and unreadable rows are listed in `problems` (thrown at once with `strict`).
 * Metadata-level errors (missing metadata file, missing column, malformed manifest) always throw.
 */
export async function loadDataset(manifestIdOrPath: string | Manifest | Record<string, unknown>, opts: LoadOptions = {}): Promise<SampleTable> {
  const manifest = resolveManifest(manifestIdOrPath);
  if (manifest.parser === 'synthetic') return loadSyntheticDataset(manifest, opts);
  const root = resolveDataRoot(manifest, opts.root);
  const policy = LabelPolicySchema.parse({ ...manifest.labels.policy, ...opts.labelPolicy });
  const problems: Problem[] = [];
  const ctx: ParserContext = {
    manifest, root, policy, options: opts,
    file(key) {
      const f = manifest.files[key];
      if (!f) throw new Error(`manifest ${manifest.id}: no file entry '${key}' (field 'files.${key}')`);
      return path.join(root, f.path);
    },
    has(key) {
      const f = manifest.files[key];
      return !!f && fs.existsSync(path.join(root, f.path));
    },
    problem(p) {
      if (opts.strict) throw new Error(`${p.file}${p.row ? `:${p.row}` : ''}: ${p.reason} (sample ${p.id})`);
      problems.push(p);
    },
  };
  for (const [key, f] of Object.entries(manifest.files)) {
    if (!f.optional && !fs.existsSync(path.join(root, f.path))) throw new Error(`dataset ${manifest.id}: missing metadata file ${path.join(root, f.path)} (files.${key})`);
  }
  const parsed = await PARSERS[manifest.parser](ctx);
  problems.push(...parsed.problems);

  // splits are assigned before dropping unreadable rows, so a missing file never moves other patients between splits
  const allSplits = assignSplits(parsed.records, manifest.split, opts.seed ?? manifest.split.seed);
  const verify = opts.verify ?? 'exists';
  const bad = new Uint8Array(parsed.records.length);
  await forEachLimit(parsed.records, verify === 'decode' ? 4 : 64, async (r, i) => {
    if (verify === 'none' || r.path === null) return;
    try {
      if (verify === 'decode') await (parsed.probe ? parsed.probe(r) : probeImage(r.path));
      else await fs.promises.access(r.path, fs.constants.R_OK);
    } catch (e) {
      bad[i] = 1;
      const reason = verify === 'decode' ? (e as Error).message : `missing image ${r.path}`;
      ctx.problem({ id: r.id, file: r.file ?? r.path, row: r.line, reason });
    }
  });
  const kept: SampleRecord[] = [];
  const splits: Split[] = [];
  parsed.records.forEach((r, i) => { if (!bad[i]) { kept.push(r); splits.push(allSplits[i]); } });
  const st = buildSampleTable(manifest, parsed, kept, splits, problems);
  return opts.split ? selectSplit(st, opts.split, manifest.split.val === 'train') : st;
}

/** Start of the line `optionalDataset` prints; `raydino figures` collects such lines from every notebook's output. */
export const SKIP_PREFIX = 'skipped: ';

/**
 * For a panel that needs a set a clone may not have (the real sets live beside the repository, not in it): the loaded
 * set, or `null` after printing one line — `skipped: <panel> — dataset … not found: looked in …; to add it, …`.
 * Only a missing data root is skipped; a set that is there but broken (bad manifest, missing metadata) still throws.
 *
 * @example
 * const nih = await optionalDataset(session.dataset('nih-chestxray14-sample'), 'Fig 2a NIH bars');
 * if (nih) { ... }
 */
export async function optionalDataset<T = SampleTable>(load: Promise<T> | (() => Promise<T>), panel: string,
  log: (line: string) => void = console.log): Promise<T | null> {
  try {
    return await (typeof load === 'function' ? load() : load);
  } catch (e) {
    // by name too: a notebook may hold two copies of lib/data (dist/ and a linked package)
    if (!(e instanceof DatasetNotFoundError) && (e as Error)?.name !== 'DatasetNotFoundError') throw e;
    log(`${SKIP_PREFIX}${panel} — ${(e as Error).message}`);
    return null;
  }
}
