/**
 * A project-local Jupyter kernelspec for tslab, so notebooks run with THIS project's tslab and node_modules and the
 * user's global Jupyter config is never touched. Jupyter looks for kernels in `$JUPYTER_PATH/kernels/<name>/kernel.json`
 * before the user's and system folders (jupyter_core paths), so:
 *
 *   JUPYTER_PATH=$PWD/.jupyter-local jupyter lab      # or: npx raydino figures
 *
 * The kernel.json mirrors what `tslab install` writes (tslab python/install.py: argv = [tslab, kernel, --config-path,
 * {connection_file}]) with an absolute path to node_modules/.bin/tslab.
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../engine/provenance';

export const KERNEL_NAME = 'tslab';
export const LOCAL_JUPYTER_DIR = '.jupyter-local';

export interface Kernelspec { argv: string[]; display_name: string; language: string; env?: Record<string, string> }

/** The kernel.json content for a project root. */
export function kernelspecFor(root: string): Kernelspec {
  return {
    argv: [path.join(root, 'node_modules', '.bin', 'tslab'), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (raydino-lab)',
    language: 'typescript',
  };
}

/**
 * Writes <root>/.jupyter-local/kernels/tslab/kernel.json (idempotent) and returns the folder to put in JUPYTER_PATH.
 * Throws when tslab is not installed.
 */
export function ensureKernelspec(root = projectRoot()): string {
  const spec = kernelspecFor(root);
  if (!fs.existsSync(spec.argv[0])) throw new Error(`tslab is not installed (${spec.argv[0]} missing); run npm ci`);
  const jupyterPath = path.join(root, LOCAL_JUPYTER_DIR);
  const dir = path.join(jupyterPath, 'kernels', KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'kernel.json');
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
  return jupyterPath;
}

/** JUPYTER_PATH value with the project folder first (keeping any existing entries after it). */
export function jupyterPathEnv(jupyterPath: string, existing = process.env.JUPYTER_PATH): string {
  return [jupyterPath, ...(existing ? existing.split(path.delimiter).filter((p) => p && p !== jupyterPath) : [])].join(path.delimiter);
}
