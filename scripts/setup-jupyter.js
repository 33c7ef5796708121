#!/usr/bin/env node
// Prepares headless/interactive Jupyter for this project without touching the user's global Jupyter config:
//  - checks for a Python with nbclient (Debian: jupyter-nbconvert + python3-nbclient; installed via apt-get when root),
//  - checks for DejaVu fonts (Debian: fonts-dejavu-core) so figure text renders in PNGs,
//  - writes the project-local tslab kernelspec to .jupyter-local/kernels/tslab/kernel.json.
// Usage: node scripts/setup-jupyter.js   (then: JUPYTER_PATH=$PWD/.jupyter-local jupyter lab)
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function hasNbclient() {
  for (const py of [process.env.RAYDINO_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean)) {
    if (spawnSync(py, ['-c', 'import nbclient, nbformat'], { stdio: 'ignore' }).status === 0) return py;
  }
  return null;
}

function hasDejaVu() {
  const dirs = [process.env.RAYDINO_FONT_DIR, '/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF'].filter(Boolean);
  return dirs.some((d) => fs.existsSync(path.join(d, 'DejaVuSans.ttf')));
}

function aptInstall(pkgs) {
  console.log(`setup-jupyter: apt-get install -y ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  }
  return r.status === 0;
}

/** Ensures Python+nbclient, fonts and the kernelspec; returns the JUPYTER_PATH folder. Throws with advice otherwise. */
function setupJupyter() {
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  const missing = [];
  if (!hasNbclient()) missing.push('jupyter-nbconvert', 'python3-nbclient');
  if (!hasDejaVu()) missing.push('fonts-dejavu-core');
  if (missing.length && isRoot && hasApt) aptInstall(missing);
  if (!hasNbclient()) {
    throw new Error('no Python with nbclient. Install Debian/Ubuntu packages `jupyter-nbconvert python3-nbclient` (as root), '
      + 'or without root: `python3 -m pip install --user nbclient nbformat ipykernel` (set RAYDINO_PYTHON to that python if it is not python3).');
  }
  if (!hasDejaVu()) {
    console.warn('setup-jupyter: DejaVu fonts not found: PNG figures fall back to system fonts. Install fonts-dejavu-core or set RAYDINO_FONT_DIR.');
  }
  const dist = path.join(root, 'dist', 'report', 'kernelspec.js');
  if (!fs.existsSync(dist)) throw new Error('the library is not built (dist/ missing): run `npm run build` first');
  return require(dist).ensureKernelspec(root);
}

module.exports = { setupJupyter };

if (require.main === module) {
  try {
    const jp = setupJupyter();
    console.log(`tslab kernelspec ready in ${jp}\nJupyterLab: JUPYTER_PATH=${jp} jupyter lab notebooks/`);
  } catch (e) {
    console.error(`setup-jupyter: ${e.message}`);
    process.exit(1);
  }
}
