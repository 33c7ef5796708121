/**
 * The Python every PyTorch reference of `raydino bench` runs under: RAYDINO_PYTHON when set, else the project-local
 * virtual environment `.venv-torch/bin/python` when present (a current torch wheel, what a user would install today:
 * `python3 -m venv .venv-torch && .venv-torch/bin/pip install torch numpy`, docs/bench.md), else /usr/bin/python3 (the
 * distribution's torch). The references print `torch.__version__` so each bench row says which PyTorch it compared to.
 */
import { spawnSync } from 'child_process';
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
  return { ...process.env, OMP_NUM_THREADS: '2', OMP_WAIT_POLICY: 'PASSIVE', MKL_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' };
}

/**
 * What a /proc/<pid>/maps listing says about the BLAS a process linked: 'reference' when Netlib's reference BLAS is
 * mapped (Debian's python3-torch links libblas.so.3 through update-alternatives: without OpenBLAS installed that is the
 * reference implementation, about 10× slower on the references' matmuls — measured 2026-12-06: 0.12 pretraining steps/s
 * against 1.1–1.2 with OpenBLAS), else the optimised libraries mapped, else 'bundled' (pip wheels link MKL / oneDNN
 * statically into libtorch_cpu).
 */
export function blasFromMaps(maps: string): string {
  const libs = maps.split('\n').map((l) => l.trim().split(/\s+/).pop() ?? '').filter((p) => /\/lib[^/]*(blas|mkl|blis)[^/]*\.so/.test(p));
  // Debian installs each optimised BLAS in a directory named for it (openblas-pthread/, blis-openmp/, atlas/) behind
  // the libblas.so.3 alternative: the directory names the flavour; elsewhere the library's own name does.
  const name = (p: string) => (/openblas|blis|atlas/.test(path.basename(path.dirname(p))) ? path.basename(path.dirname(p)) : path.basename(p).replace(/\.so.*/, ''));
  const optimised = [...new Set(libs.filter((p) => /openblas|mkl|blis|atlas/.test(p)).map(name))];
  if (optimised.length) return optimised.join(', ');
  return libs.some((p) => /libblas\.so/.test(p)) ? 'reference' : 'bundled';
}

let blasMemo: string | undefined;
/**
 * The BLAS of the reference Python's torch (blasFromMaps of a process that ran a matmul), once per process; '' when it
 * cannot be told (no torch, no /proc). Sections append `blasNote` to their torch row so a slow reference is visible.
 */
export function referenceBlas(): string {
  if (blasMemo !== undefined) return blasMemo;
  const code = 'import torch\ntorch.ones(64, 64) @ torch.ones(64, 64)\nprint(open("/proc/self/maps").read())';
  const r = spawnSync(torchPython(), ['-c', code], { env: torchEnv(), encoding: 'utf8', maxBuffer: 64 << 20 });
  blasMemo = r.status === 0 ? blasFromMaps(r.stdout) : '';
  return blasMemo;
}

/** '' for an optimised BLAS; a warning to append to a torch row when the reference links Netlib's reference BLAS. */
export function blasNote(blas = referenceBlas()): string {
  return blas === 'reference' ? ' — SLOW REFERENCE: torch links the reference BLAS (install OpenBLAS: apt install libopenblas0-pthread)' : '';
}
