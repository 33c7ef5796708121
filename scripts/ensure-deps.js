#!/usr/bin/env node
// Installs node_modules when a fresh clone has none, so that either of the README's two commands (`npm run figures`,
// `npm test`) can come first. `npm ci` with onnxruntime-node's CUDA download skipped (its CPU binaries ship in the
// tarball). Run as a script, or `require('./ensure-deps').ensureDeps()`.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
// the bins the two commands need; any one missing means an absent or partial install
const NEEDED = ['tslab', 'mocha', 'tsc', 'ts-node'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// every npm call of the project's scripts: onnxruntime-node's install script would download CUDA binaries a CPU run has no use for
const npmEnv = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };

function ensureDeps(label = 'raydino') {
  const missing = NEEDED.filter((b) => !fs.existsSync(path.join(root, 'node_modules', '.bin', b)));
  if (!missing.length) return;
  console.log(`${label}: installing dependencies (npm ci; missing ${missing.join(', ')})`);
  const r = spawnSync(npm, ['ci'], { cwd: root, stdio: 'inherit', env: npmEnv });
  if (r.status !== 0) {
    console.error(`${label}: installing dependencies failed (npm ci exited ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

module.exports = { ensureDeps, npm, npmEnv };
if (require.main === module) ensureDeps(process.argv[2] || 'raydino');
