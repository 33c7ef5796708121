/**
 * The Python every PyTorch reference of `raydino bench` runs under: RAYDINO_PYTHON when set, else the project-local
 * virtual environment `.venv-torch/bin/python` when present (a current torch wheel, what a user would install today:
 * `python3 -m venv .venv-torch && .venv-torch/bin/pip install torch numpy`, docs/bench.md), else /usr/bin/python3 (the
 * distribution's torch). The references print `torch.__version__` so each bench row says which PyTorch it compared to.
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../engine/provenance';

export function torchPython(): string {
  const set = process.env.RAYDINO_PYTHON;
  if (set) {
    if (!fs.existsSync(set)) throw new Error(`RAYDINO_PYTHON=${set}: no such file`);
    return set;
  }
  const venv = path.join(projectRoot(), '.venv-torch', 'bin', 'python');
  return fs.existsSync(venv) ? venv : '/usr/bin/python3';
}

/** The environment a reference runs with: 2 threads, passive waits (the fair setting on 2-core VMs). */
export function torchEnv(): NodeJS.ProcessEnv {
  return { ...process.env, OMP_NUM_THREADS: '2', OMP_WAIT_POLICY: 'PASSIVE', MKL_NUM_THREADS: '2' };
}
