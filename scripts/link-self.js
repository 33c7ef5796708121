// tslab compiles notebook cells with rootDir = the notebook's folder, so `import '../lib/x'` fails (tslab #63).
// Notebooks therefore import the built lib as a package: node_modules/raydino-lab -> the project root.
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..');
const link = path.join(root, 'node_modules', 'raydino-lab');
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  const st = fs.lstatSync(link);
  if (st.isSymbolicLink() && path.resolve(path.dirname(link), fs.readlinkSync(link)) === root) process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch { /* absent */ }
fs.symlinkSync('..', link, 'dir');
