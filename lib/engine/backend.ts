/**
 * Run-time choice of the tfjs backend: `tensorflow` (native libtensorflow through @tensorflow/tfjs-node-gpu or
 * @tensorflow/tfjs-node, when installed and loadable) → `wasm` (tfjs-backend-wasm, SIMD) → `cpu` (pure JS).
 * tfjs-node is optional: it is not a dependency (its install downloads a native binary from a CDN, which offline machines cannot reach); a missing
 * package or a failed native load is caught, recorded in `BackendInfo.tried`, and the next candidate is used.
 * `RAYDINO_BACKEND=tensorflow|wasm|cpu` forces one (an unavailable forced backend is an error, not a silent fallback).
 *
 * @example
 * const info = await initBackend();          // idempotent: later calls return the same info
 * console.log(info.name, info.simd);         // 'wasm' true
 */
import * as tf from '@tensorflow/tfjs-core';

export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** One attempt at loading a backend, kept so the provenance line can say why a faster one was skipped. */
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it failed (first line of the error), when it did. */
  reason?: string;
}

export interface BackendInfo {
  name: BackendName;
  /** WASM SIMD in use (wasm backend only). */
  simd: boolean;
  /** Threads inside the backend (wasm threads do not start in Node: 1; tensorflow: its own pool, reported as 0 = auto). */
  threads: number;
  /** Package that provided the backend, e.g. '@tensorflow/tfjs-backend-wasm'. */
  package: string;
  tfjsVersion: string;
  /** Every candidate tried, in order. */
  tried: BackendAttempt[];
  /** Where the choice came from. */
  source: 'env' | 'prefer' | 'auto';
}

/** Loads one backend's package and registers it with tfjs; throws when unavailable. Returns the package name. */
export type BackendLoader = () => Promise<string>;

function tryRequire(name: string): unknown {
  // Plain require of a computed name: bundlers/tsc must not resolve optional packages at build time.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(name);
}

/** The default loaders. Exported so tests and callers can wrap them. */
export const defaultLoaders: Record<BackendName, BackendLoader> = {
  async tensorflow() {
    const errors: string[] = [];
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      try {
        tryRequire(pkg);
        // tfjs-node registers 'tensorflow' on the tfjs-core it resolves; if that is a different copy of tfjs-core than
        // ours, our engine does not see it and setBackend fails below — treated as unavailable, not as a crash.
        if (!tf.findBackendFactory('tensorflow')) throw new Error(`${pkg} loaded but registered no 'tensorflow' backend with this tfjs-core`);
        return pkg;
      } catch (e) {
        errors.push(`${pkg}: ${firstLine(e)}`);
      }
    }
    throw new Error(errors.join('; '));
  },
  async wasm() {
    tryRequire('@tensorflow/tfjs-backend-wasm');
    return '@tensorflow/tfjs-backend-wasm';
  },
  async cpu() {
    tryRequire('@tensorflow/tfjs-backend-cpu');
    return '@tensorflow/tfjs-backend-cpu';
  },
};

export interface InitBackendOptions {
  /** Try this backend first (then the usual order). Ignored when RAYDINO_BACKEND is set. */
  prefer?: BackendName;
  /** Replace loaders (tests inject throwing ones). Passing loaders bypasses the process-wide cache. */
  loaders?: Partial<Record<BackendName, BackendLoader>>;
  /** Environment to read RAYDINO_BACKEND from (default process.env). */
  env?: Record<string, string | undefined>;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 300);
}

/** Parses RAYDINO_BACKEND; throws naming the variable on a bad value. */
export function backendFromEnv(env: Record<string, string | undefined> = process.env): BackendName | undefined {
  const v = env.RAYDINO_BACKEND?.trim();
  if (!v) return undefined;
  if (!(BACKEND_NAMES as readonly string[]).includes(v)) {
    throw new Error(`invalid RAYDINO_BACKEND: ${v} (expected one of ${BACKEND_NAMES.join(', ')})`);
  }
  return v as BackendName;
}

/** Candidate order: forced → [forced]; preferred → [preferred, ...rest]; else tensorflow, wasm, cpu. */
export function backendOrder(opts: { forced?: BackendName; prefer?: BackendName }): BackendName[] {
  if (opts.forced) return [opts.forced];
  if (opts.prefer) return [opts.prefer, ...BACKEND_NAMES.filter((n) => n !== opts.prefer)];
  return [...BACKEND_NAMES];
}

async function activate(name: BackendName, loader: BackendLoader): Promise<string> {
  const pkg = await loader();
  if (name === 'wasm') {
    // wasm threads never start under Node (no SharedArrayBuffer workers in the emscripten glue): don't try the threaded build.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`tfjs reports backend '${tf.getBackend()}' after selecting '${name}'`);
  if (name === 'cpu') {
    // The cpu backend prints "install tfjs-node" on its first tensor (once per thread — every worker, every notebook);
    // tfjs-node cannot install offline and our provenance line already says which backend runs and why.
    const cpu = tf.backend() as unknown as { firstUse?: boolean };
    if (typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
  }
  return pkg;
}

let cached: Promise<BackendInfo> | undefined;

/**
 * Selects and initialises the tfjs backend. Idempotent per process (the first call decides; later calls, with any
 * options, return its info) unless `loaders` are injected.
 */
export function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (opts.loaders) return select(opts);
  if (!cached) {
    cached = select(opts);
    cached.catch(() => { cached = undefined; });
  }
  return cached;
}

/** The info of the backend chosen by initBackend, or undefined before it finished. */
export function currentBackend(): Promise<BackendInfo> | undefined {
  return cached;
}

async function select(opts: InitBackendOptions): Promise<BackendInfo> {
  const env = opts.env ?? process.env;
  const forced = backendFromEnv(env);
  const order = backendOrder({ forced, prefer: opts.prefer });
  const loaders = { ...defaultLoaders, ...opts.loaders };
  const tried: BackendAttempt[] = [];
  for (const name of order) {
    try {
      const pkg = await activate(name, loaders[name]);
      tried.push({ name, ok: true });
      const simd = name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false;
      return {
        name, simd, threads: name === 'tensorflow' ? 0 : 1, package: pkg, tfjsVersion: tf.version_core, tried,
        source: forced ? 'env' : opts.prefer ? 'prefer' : 'auto',
      };
    } catch (e) {
      tried.push({ name, ok: false, reason: firstLine(e) });
    }
  }
  const why = tried.map((t) => `${t.name}: ${t.reason}`).join('; ');
  throw new Error(forced
    ? `RAYDINO_BACKEND=${forced} is not available (${why})`
    : `no tfjs backend could be initialised (${why})`);
}

/** One-line summary, e.g. `wasm (SIMD, 1 thread; tensorflow skipped: Cannot find module …)`. */
export function describeBackend(info: BackendInfo): string {
  const bits = [info.name === 'wasm' ? (info.simd ? 'SIMD' : 'no SIMD') : undefined,
    info.threads === 0 ? 'native threads' : `${info.threads} thread${info.threads === 1 ? '' : 's'}`].filter(Boolean);
  const skipped = info.tried.filter((t) => !t.ok).map((t) => `${t.name} skipped`);
  return `${info.name} (${[...bits, ...skipped].join(', ')})`;
}
