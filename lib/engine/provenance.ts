/**
 * Where a result came from: backend, workers, library versions, git commit, profile, date. One line at the top of every
 * notebook (`printProvenance()`), and a JSON object beside every saved figure (lib/report writes it).
 *
 * @example
 * const p = await collectProvenance({ workers: 2, profile: 'quick' });
 * console.log(provenanceLine(p));
 * // raydino-lab 0.1.0 · profile quick · backend wasm (SIMD, 1 thread) · 2 workers · tfjs 4.22.0 · ort 1.30.0 · node v20.20.2 · commit c467383+dirty
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BackendInfo, currentBackend, describeBackend } from './backend';
import { displayBundle } from './jupyter-display';

export interface Provenance {
  package: string;
  version: string;
  profile: string;
  backend: string;
  /** e.g. 'wasm (SIMD, 1 thread, tensorflow skipped)'. */
  backendDetail: string;
  workers: number;
  tfjs: string;
  /** onnxruntime-node version (read from its package.json; the native binary is not loaded), null if absent. */
  ort: string | null;
  node: string;
  /** Short commit hash, null outside a git checkout. */
  commit: string | null;
  /** Uncommitted changes to tracked files. */
  dirty: boolean;
  platform: string;
  cpus: number;
  cpuModel: string;
  /** ISO-8601 time the provenance was collected. */
  date: string;
}

let cachedRoot: string | null = null;

/**
 * The project root: the nearest folder above `from` (default: this module, never the cwd) holding a package.json named
 * raydino-lab. The default lookup is cached: every path of a run (data roots, figures, checkpoints) hangs off it.
 */
export function projectRoot(from?: string): string {
  if (from === undefined && cachedRoot) return cachedRoot;
  const start = from ?? __dirname;
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'raydino-lab') {
          if (from === undefined) cachedRoot = dir;
          return dir;
        }
      } catch { /* not ours; keep looking */ }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the raydino-lab project root above ${start}`);
    dir = up;
  }
}

function packageVersion(name: string): string | null {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [projectRoot()] });
    return JSON.parse(fs.readFileSync(file, 'utf8')).version ?? null;
  } catch {
    return null;
  }
}

/** Short commit and dirty flag of the checkout at `root`; nulls when git or the repository is absent. */
export function gitState(root = projectRoot()): { commit: string | null; dirty: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  try {
    const commit = git('rev-parse', '--short', 'HEAD');
    let dirty = false;
    try { dirty = git('status', '--porcelain', '--untracked-files=no').length > 0; } catch { /* unknown: report clean */ }
    return { commit, dirty };
  } catch {
    return { commit: null, dirty: false };
  }
}

export interface ProvenanceOptions {
  /** The backend in use; default: the one initBackend chose (or 'uninitialised'). */
  backend?: BackendInfo;
  /** Worker threads used for data-parallel work (the profile's run.workers: the caller resolved the profile). */
  workers: number;
  /** Profile name. */
  profile: string;
  /** Clock (tests). */
  now?: () => Date;
}

/** Collects provenance for the current process; the profile is the caller's (lib/session resolves it once per run). */
export async function collectProvenance(opts: ProvenanceOptions): Promise<Provenance> {
  const backend = opts.backend ?? (await currentBackend()?.catch(() => undefined));
  const root = projectRoot();
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const git = gitState(root);
  const cpus = os.cpus();
  return {
    package: pkg.name,
    version: pkg.version,
    profile: opts.profile,
    backend: backend?.name ?? 'uninitialised',
    backendDetail: backend ? describeBackend(backend) : 'uninitialised',
    workers: opts.workers,
    tfjs: packageVersion('@tensorflow/tfjs-core') ?? 'absent',
    ort: packageVersion('onnxruntime-node'),
    node: process.version,
    commit: git.commit,
    dirty: git.dirty,
    platform: `${os.platform()}-${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    date: (opts.now ?? (() => new Date()))().toISOString(),
  };
}

/** One line: package, profile, backend, workers, versions, commit. */
export function provenanceLine(p: Provenance): string {
  return [
    `${p.package} ${p.version}`, `profile ${p.profile}`, `backend ${p.backendDetail}`,
    `${p.workers} worker${p.workers === 1 ? '' : 's'}`, `tfjs ${p.tfjs}`, `ort ${p.ort ?? 'absent'}`, `node ${p.node}`,
    `${p.cpus} × ${p.cpuModel}`, `commit ${p.commit ?? 'none'}${p.dirty ? '+dirty' : ''}`, p.date.slice(0, 19).replace('T', ' ') + 'Z',
  ].join(' · ');
}

/** Prints the provenance line (a plain text line in notebooks and terminals alike) and returns the object. */
export async function printProvenance(opts: ProvenanceOptions): Promise<Provenance> {
  const p = await collectProvenance(opts);
  const line = provenanceLine(p);
  if (!displayBundle({ 'text/plain': line, 'text/markdown': `\`${line}\`` })) console.log(line);
  return p;
}
