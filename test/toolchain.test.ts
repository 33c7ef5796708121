/**
 * tslab depends on its own TypeScript (@tslab/typescript-for-tslab, 5.0) and installs a `tsc` into node_modules/.bin that
 * shadows the pinned compiler's: a bare `tsc` in an npm script builds dist/ with tslab's copy, while mocha's ts-node
 * loads the pinned one — two compilers, and type errors only one of them sees. The scripts therefore name the pinned
 * compiler's file.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };

describe('toolchain: the TypeScript compiler of the npm scripts', () => {
  it('every script that compiles runs node_modules/typescript/bin/tsc, never the bare tsc on PATH', () => {
    const compiling = Object.entries(pkg.scripts).filter(([, cmd]) => /\btsc\b/.test(cmd));
    assert.ok(compiling.some(([name]) => name === 'build'), 'the build script compiles');
    for (const [name, cmd] of compiling) {
      for (const part of cmd.split('&&').map((s) => s.trim()).filter((s) => /\btsc\b/.test(s))) {
        assert.match(part, /^node node_modules\/typescript\/bin\/tsc /, `script "${name}": ${part}`);
      }
    }
  });

  it('that compiler is the version package.json pins, the same one ts-node loads for the tests', () => {
    const pinned = pkg.devDependencies.typescript;
    assert.match(pinned, /^\d+\.\d+\.\d+$/, `typescript is pinned to an exact version (${pinned})`);
    const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'typescript', 'package.json'), 'utf8')).version;
    assert.equal(installed, pinned);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    assert.equal(require('typescript').version, pinned);
  });
});
