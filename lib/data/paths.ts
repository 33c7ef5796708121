/**
 * Where things live on disk: the project root (found from this file, never from the cwd) and a dataset's data root.
 */
import fs from 'fs';
import path from 'path';

let cachedRoot: string | null = null;

/** The raydino-lab project root: the nearest folder above this module holding raydino-lab's package.json. */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'raydino-lab') { cachedRoot = dir; return dir; }
      } catch { /* not ours; keep walking */ }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the raydino-lab project root above ${__dirname}`);
    dir = up;
  }
}

/** Folder of the shipped manifests (`<project>/data-manifests`). */
export function manifestDir(): string {
  return path.join(projectRoot(), 'data-manifests');
}

/**
 * Resolve a dataset's data root. Order: explicit `root` (relative to the cwd, like any CLI path) →
 * the manifest's own `root` (relative to the PROJECT root: shipped sets such as `../shared/data/real/...`) →
 * `$RAYDINO_DATA_ROOT/<dir>` → error.
 */
export function resolveDataRoot(m: { id: string; root?: string | null; dir?: string }, explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  if (m.root) return path.resolve(projectRoot(), m.root);
  const env = process.env.RAYDINO_DATA_ROOT;
  if (env) return path.resolve(env, m.dir ?? m.id);
  throw new Error(`dataset '${m.id}' has no data root: pass --root <dir> (loadDataset(…, { root })) or set RAYDINO_DATA_ROOT so that $RAYDINO_DATA_ROOT/${m.dir ?? m.id} holds it`);
}
