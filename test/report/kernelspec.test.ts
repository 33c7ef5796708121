import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureKernelspec, jupyterPathEnv, kernelspecFor } from '../../lib/report/kernelspec';

describe('kernelspec', () => {
  it('points at the project tslab with the connection-file argv tslab install writes', () => {
    assert.deepEqual(kernelspecFor('/p').argv, ['/p/node_modules/.bin/tslab', 'kernel', '--config-path', '{connection_file}']);
  });

  it('writes <root>/.jupyter-local/kernels/tslab/kernel.json idempotently', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-ks-'));
    try {
      assert.throws(() => ensureKernelspec(root), /tslab is not installed/);
      fs.mkdirSync(path.join(root, 'node_modules', '.bin'), { recursive: true });
      fs.writeFileSync(path.join(root, 'node_modules', '.bin', 'tslab'), '');
      const jp = ensureKernelspec(root);
      assert.equal(jp, path.join(root, '.jupyter-local'));
      const file = path.join(jp, 'kernels', 'tslab', 'kernel.json');
      const spec = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.equal(spec.language, 'typescript');
      assert.equal(spec.argv[0], path.join(root, 'node_modules', '.bin', 'tslab'));
      const mtime = fs.statSync(file).mtimeMs;
      ensureKernelspec(root);
      assert.equal(fs.statSync(file).mtimeMs, mtime);
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });

  it('puts the project folder first in JUPYTER_PATH, keeping the rest', () => {
    assert.equal(jupyterPathEnv('/a', undefined), '/a');
    assert.equal(jupyterPathEnv('/a', `/b${path.delimiter}/a`), `/a${path.delimiter}/b`);
  });
});
