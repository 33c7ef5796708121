/**
 * Where things live on disk: the shipped manifests and a dataset's data root, both under the project root (lib/engine/provenance projectRoot).
 */
import fs from 'fs';
import path from 'path';
import { projectRoot } from '../engine/provenance';

/** Folder of the shipped manifests (`<project>/data-manifests`). */
export function manifestDir(): string {
  return path.join(projectRoot(), 'data-manifests');
}

/** Where the steps to add a missing set are written (docs/data.md, section "Real sets"). */
export const ADD_DATA_HINT = 'docs/data.md, "Real sets"';

/** One place a dataset's root was looked for. */
export interface RootCandidate { path: string; from: 'root option' | 'manifest root' | 'RAYDINO_DATA_ROOT' }

/** A dataset whose data root is in none of the places looked at (a clone without the real sets beside it). */
export class DatasetNotFoundError extends Error {
  constructor(readonly dataset: string, readonly looked: readonly RootCandidate[], message: string) {
    super(message);
    this.name = 'DatasetNotFoundError';
  }
}

/**
 * Every folder a dataset's data root may be in, in order: an explicit `root` (relative to the cwd, like any CLI path;
 * when given it is the only candidate) → the manifest's own `root` (relative to the PROJECT root: the real sets
 * shipped beside the repository, `../shared/data/real/...`) → `$RAYDINO_DATA_ROOT/<dir>` (dir defaults to the id).
 */
export function dataRootCandidates(m: { id: string; root?: string | null; dir?: string }, explicit?: string): RootCandidate[] {
  if (explicit) return [{ path: path.resolve(explicit), from: 'root option' }];
  const out: RootCandidate[] = [];
  if (m.root) out.push({ path: path.resolve(projectRoot(), m.root), from: 'manifest root' });
  const env = process.env.RAYDINO_DATA_ROOT;
  if (env) out.push({ path: path.resolve(env, m.dir ?? m.id), from: 'RAYDINO_DATA_ROOT' });
  return out;
}

/**
 * A dataset's data root: the first existing folder of `dataRootCandidates`. Throws `DatasetNotFoundError` — one line
 * naming the set, every place looked at and how to add it — when none exists.
 */
export function resolveDataRoot(m: { id: string; root?: string | null; dir?: string }, explicit?: string): string {
  const looked = dataRootCandidates(m, explicit);
  const hit = looked.find((c) => isDir(c.path));
  if (hit) return hit.path;
  const where = looked.map((c) => `${c.path} (${c.from})`);
  if (!explicit && !process.env.RAYDINO_DATA_ROOT) where.push('$RAYDINO_DATA_ROOT (not set)');
  const how = explicit ? 'point --root at the folder that holds it'
    : `pass --root <dir>, or set RAYDINO_DATA_ROOT so that $RAYDINO_DATA_ROOT/${m.dir ?? m.id} holds it`;
  throw new DatasetNotFoundError(m.id, looked, `dataset ${m.id} not found: looked in ${where.join(', ')}; to add it, ${how} (${ADD_DATA_HINT})`);
}

function isDir(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}
