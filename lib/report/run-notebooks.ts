/**
 * Executes the notebooks headlessly through nbclient (the engine of `jupyter nbconvert --execute`) via
 * scripts/jupyter-run-notebook.py and the project-local tslab kernelspec, several at once (`jobs`; a notebook marked
 * exclusive runs alone). Executed copies (outputs included) go to
 * notebooks/executed/<name>.ipynb — only when every cell ran: a failed run leaves the committed copy as it was and
 * writes its partial copy to <name>.failed.ipynb beside it. The sources in notebooks/ are never rewritten. A failing
 * cell fails the run with a message naming the notebook, the cell (index and first source line) and the error.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { availableCores } from '../config/cores';
import { projectRoot } from '../engine/provenance';
import { ensureKernelspec, jupyterPathEnv, KERNEL_NAME } from './kernelspec';

export interface NotebookResult {
  notebook: string;
  ok: boolean;
  seconds: number;
  /** The executed copy: notebooks/executed/<name>.ipynb when ok, else the partial <name>.failed.ipynb. */
  executed: string;
  /** Lines the notebook printed for panels it left out (`optionalDataset`: a real set that is not here). */
  skipped: string[];
  /** Failing code cell index (0-based, counting all cells). */
  cell?: number;
  firstLine?: string;
  /** The error's headline and its full text. */
  headline?: string;
  error?: string;
}

export interface RunNotebooksOptions {
  /** Folder of notebooks (default <root>/notebooks). */
  dir?: string;
  /** Where executed copies go (default <dir>/executed). */
  outDir?: string;
  /** Notebook prefixes to run, e.g. ['00', '02'] (default all). */
  only?: string[];
  profile?: 'quick' | 'full';
  /** Per-cell timeout in seconds (default 1800). */
  cellTimeout?: number;
  /** Stop at the first failing notebook (default: run all, report every failure). */
  bail?: boolean;
  /** Notebooks run at once (default `defaultJobs()`); notebooks marked exclusive always run alone. */
  jobs?: number;
  /** Extra environment for the kernels. */
  env?: Record<string, string>;
  /** Called before/after each notebook (the CLI prints progress lines). */
  onStart?(notebook: string): void;
  onResult?(r: NotebookResult): void;
}

/** Notebook files in run order: `NN-name.ipynb` sorted by name, filtered by `only` prefixes. */
export function listNotebooks(dir: string, only?: string[]): string[] {
  if (!fs.existsSync(dir)) throw new Error(`no notebooks folder: ${dir}`);
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb') && !f.startsWith('.')).sort();
  if (!only || only.length === 0) return all;
  const picked = all.filter((f) => only.some((p) => f === p || f.startsWith(`${p}-`) || f.startsWith(p)));
  const unmatched = only.filter((p) => !all.some((f) => f === p || f.startsWith(p)));
  if (unmatched.length) throw new Error(`--only: no notebook matches ${unmatched.join(', ')} in ${dir} (have ${all.join(', ') || 'none'})`);
  return picked;
}

/** The Python that can import nbclient: RAYDINO_PYTHON, else /usr/bin/python3, else python3 on PATH. */
export function findJupyterPython(env = process.env): string {
  const candidates = [env.RAYDINO_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter((c): c is string => !!c);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import nbclient, nbformat'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  throw new Error('no Python with nbclient found (tried ' + candidates.join(', ') + '). Install Debian\'s `jupyter-nbconvert python3-nbclient` '
    + '(apt-get install -y jupyter-nbconvert python3-nbclient) or `pip install nbclient nbformat ipykernel`, or set RAYDINO_PYTHON.');
}

/** The most telling line of a tslab error text: `Error: …` / `TypeError: …` / a compile error `L:C - …`. */
export function errorHeadline(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^([A-Z][A-Za-z]*)?(Error|Exception|Timeout)\b|^\d+:\d+ - /.test(l)) ?? lines[0] ?? 'unknown error';
}

/** Message for a failed notebook: names notebook, cell index, first source line, error headline, then the full text. */
export function failureMessage(r: NotebookResult): string {
  if (r.cell === undefined) return `${r.notebook}: ${r.headline ?? r.error}`;
  const detail = r.error && r.error.trim() !== r.headline ? `\n${indent(trimKernelFrames(r.error))}` : '';
  return `${r.notebook} failed at cell ${r.cell} (\`${r.firstLine}\`): ${r.headline}${detail}\n  executed copy: ${r.executed}`;
}

/** Drops stack frames of the kernel's own machinery (tslab's executor, node:vm), which say nothing about the cell. */
export function trimKernelFrames(text: string): string {
  return text.split('\n').filter((l) => !/^\s+at .*(\/tslab\/dist\/|node:vm:|sigintHandlersWrap|node:internal\/)/.test(l)).join('\n');
}

function indent(s: string): string {
  return s.split('\n').map((l) => `    ${l}`).join('\n');
}

/** Where a failed run's partial copy goes: beside the executed copy, never over it. */
export function failedCopyPath(output: string): string {
  return output.replace(/\.ipynb$/, '') + '.failed.ipynb';
}

/**
 * Puts a finished run's copy in place: an ok run replaces the executed copy (and drops a stale .failed copy), a failed
 * run goes to the .failed copy so the last good executed copy stays. Returns where the copy now is.
 */
export function settleExecutedCopy(tmp: string, output: string, ok: boolean): string {
  const dest = ok ? output : failedCopyPath(output);
  if (!fs.existsSync(tmp)) return dest;
  fs.renameSync(tmp, dest);
  if (ok) fs.rmSync(failedCopyPath(output), { force: true });
  return dest;
}

function runOne(py: string, script: string, input: string, output: string, cellTimeout: number, env: NodeJS.ProcessEnv, profile: string): Promise<NotebookResult> {
  const notebook = path.basename(input);
  // the runner writes its copy even when a cell fails; it lands beside the executed copy and replaces it only when ok
  const tmp = path.join(path.dirname(output), `.${path.basename(output)}.running-${process.pid}`);
  return new Promise((resolve, reject) => {
    const child = spawn(py, [script, input, tmp, '--kernel', KERNEL_NAME, '--timeout', String(cellTimeout), '--profile', profile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      let r: { ok: boolean; seconds?: number; cell?: number; first_line?: string; error?: string; fatal?: string; kind?: string; skipped?: string[] };
      try { r = JSON.parse(last); } catch {
        r = { ok: false, fatal: `runner exited ${code} without a result`, error: `${out}\n${err}`.trim() };
      }
      const executed = settleExecutedCopy(tmp, output, r.ok);
      const base = { notebook, seconds: r.seconds ?? 0, executed, skipped: r.skipped ?? [] };
      if (r.ok) { resolve({ ...base, ok: true }); return; }
      if (r.fatal) { resolve({ ...base, ok: false, headline: r.fatal, error: r.error ?? `${r.fatal}\n${err.trim()}` }); return; }
      const error = r.error ?? '';
      resolve({ ...base, ok: false, cell: r.cell, firstLine: r.first_line, headline: errorHeadline(error), error });
    });
  });
}

/** What the runner reads from a notebook's own metadata (`metadata.raydino`). */
export interface NotebookRunMeta {
  /**
   * Runs with no other notebook beside it: a notebook that times the engine (00's benchmark, 01's live pretraining
   * throughput) would report a neighbour's load as its own speed.
   */
  exclusive?: boolean;
}

/** `metadata.raydino` of a notebook file ({} when absent or unreadable — the runner then reports the bad file itself). */
export function notebookRunMeta(file: string): NotebookRunMeta {
  try {
    const meta = JSON.parse(fs.readFileSync(file, 'utf8'))?.metadata?.raydino;
    return meta && typeof meta === 'object' ? { exclusive: meta.exclusive === true } : {};
  } catch {
    return {};
  }
}

/** Seconds the last good run of this notebook took under `profile`, from its executed copy (undefined when unknown). */
export function lastRunSeconds(executed: string, profile: string): number | undefined {
  try {
    const run = JSON.parse(fs.readFileSync(executed, 'utf8'))?.metadata?.raydino_run;
    return run && run.profile === profile && Number.isFinite(run.seconds) ? run.seconds : undefined;
  } catch {
    return undefined;
  }
}

export interface PlannedNotebook { notebook: string; exclusive: boolean; expected?: number }

/**
 * The order notebooks start in: exclusive ones first, alone, in name order; then the rest longest first (the last good
 * run's seconds), so that the longest notebook does not start last and leave the other cores idle at the end. A
 * notebook with no recorded time counts as the longest (a new notebook should not be the one everyone waits for).
 */
export function planRuns(items: PlannedNotebook[]): PlannedNotebook[] {
  const known = items.map((i) => i.expected).filter((x): x is number => x !== undefined);
  const unknown = (known.length ? Math.max(...known) : 0) + 1;
  const byName = (a: PlannedNotebook, b: PlannedNotebook) => (a.notebook < b.notebook ? -1 : a.notebook > b.notebook ? 1 : 0);
  const exclusive = items.filter((i) => i.exclusive).sort(byName);
  const pooled = items.filter((i) => !i.exclusive)
    .sort((a, b) => (b.expected ?? unknown) - (a.expected ?? unknown) || byName(a, b));
  return [...exclusive, ...pooled];
}

/**
 * How many notebooks run at once by default: RAYDINO_FIGURE_JOBS when set, else one per core, at most 4 and ~4 GiB of
 * memory per kernel; each pooled kernel gets its share of the cores (RAYDINO_CORES). Measured on 2 cores with ../shared
 * (the same notebooks): one after the other 1920 s, two at once with one core each, longest first, 1154 s; two at
 * once WITHOUT core shares was slower than one after the other — each kernel's 2 workers and 2-thread GEMMs were
 * descheduled at their barriers.
 */
export function defaultJobs(env = process.env): number {
  const set = env.RAYDINO_FIGURE_JOBS;
  if (set !== undefined && set !== '') {
    const n = Number(set);
    if (!Number.isInteger(n) || n < 1) throw new Error(`RAYDINO_FIGURE_JOBS=${set}: expected a whole number ≥ 1`);
    return n;
  }
  return Math.max(1, Math.min(4, availableCores(env), Math.floor(os.totalmem() / 4 / 2 ** 30)));
}

/**
 * Runs the notebooks, up to `jobs` at once (default `defaultJobs()`), in the order `planRuns` gives, each pooled kernel
 * with RAYDINO_CORES = its share of the cores (an exclusive one with them all); resolves with every
 * result in name order (it does not throw on a failing cell — check `ok`). With `bail`, no notebook starts after a
 * failure; those already running finish.
 */
export async function runNotebooks(opts: RunNotebooksOptions = {}): Promise<NotebookResult[]> {
  const root = projectRoot();
  const dir = opts.dir ?? path.join(root, 'notebooks');
  const outDir = opts.outDir ?? path.join(dir, 'executed');
  const list = listNotebooks(dir, opts.only);
  const py = findJupyterPython();
  const jupyterPath = ensureKernelspec(root);
  const script = path.join(root, 'scripts', 'jupyter-run-notebook.py');
  const profile = opts.profile ?? process.env.RAYDINO_PROFILE ?? 'quick';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    JUPYTER_PATH: jupyterPathEnv(jupyterPath),
    RAYDINO_PROFILE: profile,
  };
  const jobs = opts.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`jobs: expected a whole number ≥ 1, got ${jobs}`);
  fs.mkdirSync(outDir, { recursive: true });
  const plan = planRuns(list.map((nb) => ({
    notebook: nb, exclusive: notebookRunMeta(path.join(dir, nb)).exclusive === true, expected: lastRunSeconds(path.join(outDir, nb), profile),
  })));
  // a pooled notebook gets its share of the cores, so that its workers and threads do not outnumber them (config/cores)
  const pooledEnv: NodeJS.ProcessEnv = jobs > 1 ? { ...env, RAYDINO_CORES: String(Math.max(1, Math.floor(availableCores(env) / jobs))) } : env;
  const results = new Map<string, NotebookResult>();
  const running = new Set<Promise<void>>();
  let failed = false;
  let exclusiveRunning = false;
  for (const item of plan) {
    if (failed && opts.bail) break;
    // an exclusive notebook waits for an empty machine and keeps it empty until it ends
    while (running.size >= jobs || (running.size > 0 && (item.exclusive || exclusiveRunning))) await Promise.race(running);
    if (failed && opts.bail) break;
    opts.onStart?.(item.notebook);
    exclusiveRunning = item.exclusive;
    const run = runOne(py, script, path.join(dir, item.notebook), path.join(outDir, item.notebook), opts.cellTimeout ?? 1800,
      item.exclusive ? env : pooledEnv, profile)
      .then((r) => {
        results.set(item.notebook, r);
        if (!r.ok) failed = true;
        if (item.exclusive) exclusiveRunning = false;
        opts.onResult?.(r);
      })
      .finally(() => { running.delete(run); });
    running.add(run);
  }
  await Promise.all(running);
  return list.filter((nb) => results.has(nb)).map((nb) => results.get(nb)!);
}
