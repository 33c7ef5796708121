/**
 * A per-entry lock file for the feature cache (<entry>/.lock holding { pid, host, created }), so two processes (two
 * notebooks, a notebook and `raydino features`) extracting the same key do the work once: the second waits, then finds
 * the entry complete. A lock is stale — taken over — when its process is gone (same host: `kill(pid, 0)` fails) or it
 * has not been refreshed for `staleMs` (the holder calls `touch()` after every batch; other hosts, frozen processes).
 *
 * The lock only saves duplicate work: correctness never depends on it. Every cache file is written to a unique
 * temporary name in its own folder and renamed into place ("both write, rename wins", identical content), so even two
 * writers racing through a stale-lock takeover leave loadable entries.
 *
 * @example
 * const out = await withEntryLock(dir, async (lock) => { …; lock.touch(); … });
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { processAlive } from '../engine/stale-tmp';

export interface EntryLockOptions {
  /** A lock not refreshed for this long is taken over (default 10 min, or RAYDINO_LOCK_STALE_MS). */
  staleMs?: number;
  /** Polling interval while waiting (default 200 ms). */
  pollMs?: number;
  /** Called once when this caller has to wait for another holder (e.g. to print a message). */
  onWait?: (holder: LockInfo) => void;
}

export interface LockInfo { pid: number; host: string; created: number }

export interface HeldLock {
  /** Marks the holder alive (refreshes the lock file's mtime). */
  touch(): void;
}

export const lockPath = (dir: string): string => path.join(dir, '.lock');

/** Why the lock at `file` may be taken over, or undefined while its holder is alive. */
function staleReason(file: string, staleMs: number): string | undefined {
  let info: LockInfo, mtime: number;
  try {
    info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    mtime = fs.statSync(file).mtimeMs;
  } catch {
    return undefined; // vanished or half-written: retry
  }
  if (info.host === os.hostname() && !processAlive(info.pid)) return `process ${info.pid} is gone`;
  if (Date.now() - mtime > staleMs) return `not refreshed for ${Math.round((Date.now() - mtime) / 1000)} s`;
  return undefined;
}

function tryAcquire(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'wx'); // O_CREAT | O_EXCL: exactly one creator wins
    fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), created: Date.now() } satisfies LockInfo));
    fs.closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new Error(`feature cache: cannot create lock ${file}: ${(e as Error).message}`);
  }
}

/** Runs `fn` holding the lock of entry folder `dir` (created if missing); waits while another live holder has it. */
export async function withEntryLock<T>(dir: string, fn: (lock: HeldLock) => Promise<T>, opts: EntryLockOptions = {}): Promise<T> {
  const staleMs = opts.staleMs ?? Number(process.env.RAYDINO_LOCK_STALE_MS ?? 600_000);
  const pollMs = opts.pollMs ?? 200;
  fs.mkdirSync(dir, { recursive: true });
  const file = lockPath(dir);
  let waited = false;
  while (!tryAcquire(file)) {
    if (staleReason(file, staleMs) !== undefined) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (!waited) {
      waited = true;
      try { opts.onWait?.(JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo); } catch { /* released meanwhile */ }
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const touch = () => {
    const now = new Date();
    try { fs.utimesSync(file, now, now); } catch { /* taken over as stale: the atomic writes still keep the entry sound */ }
  };
  try {
    return await fn({ touch });
  } finally {
    // release only our own lock (a stale takeover may have replaced it)
    try {
      const info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      if (info.pid === process.pid && info.host === os.hostname()) fs.rmSync(file, { force: true });
    } catch { /* already gone */ }
  }
}
