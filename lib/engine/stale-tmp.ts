/**
 * Leftovers of killed writers. Caches are written to `<name>.tmp…<pid>…` and renamed into place, so a process killed
 * mid-write leaves its tmp file or folder behind; nothing ever reads it, but it takes disk (a synthetic set is
 * hundreds of MB). Writers sweep their folder before writing: a tmp entry goes when its process is gone on this host
 * and it has not been modified for `minAgeMs` (default 10 minutes). The age guard keeps the tmp of a live writer on
 * another host sharing the folder (its pid means nothing here) as long as it keeps writing.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Whether a process with this pid exists on this host. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Removes the entries of `dir` whose name matches `pattern` (its first group: the writer's pid) when that process is
 * gone and the entry is older than `minAgeMs`. Returns the removed paths. A missing `dir` is nothing to sweep.
 */
export function removeStaleTmp(dir: string, pattern: RegExp, opts: { minAgeMs?: number; now?: number } = {}): string[] {
  const minAge = opts.minAgeMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now();
  let names: string[];
  try { names = fs.readdirSync(dir); } catch { return []; }
  const removed: string[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    const p = path.join(dir, name);
    try {
      if (now - fs.statSync(p).mtimeMs < minAge) continue;
      fs.rmSync(p, { recursive: true, force: true });
      removed.push(p);
    } catch {
      // another process swept it first
    }
  }
  return removed;
}
