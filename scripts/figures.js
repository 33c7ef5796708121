#!/usr/bin/env node
// `npm run figures [-- --profile full --only 00,02]`: one command from a fresh clone to every figure.
//  1. installs node_modules if missing (scripts/ensure-deps.js),
//  2. builds the lib (dist/ + the node_modules/raydino-lab self-link notebooks import),
//  3. ensures Jupyter pieces + the project-local tslab kernelspec (scripts/setup-jupyter.js),
//  4. runs `raydino figures` with the given arguments.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const { ensureDeps, npm, npmEnv: env } = require('./ensure-deps');

const root = path.resolve(__dirname, '..');

function step(what, cmd, args) {
  console.log(`figures: ${what}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`figures: ${what} failed (${cmd} ${args.join(' ')} exited ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

ensureDeps('figures');
step('building the library', npm, ['run', 'build', '--silent']);
try {
  require('./setup-jupyter').setupJupyter();
} catch (e) {
  console.error(`figures: ${e.message}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, [path.join(root, 'bin', 'raydino.js'), 'figures', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
process.exit(r.status ?? 1);
