import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openSession } from '../../lib/session';

describe('openSession output folder', function () {
  this.timeout(60000);
  it('honours RAYDINO_FIGURES_DIR: a notebook\'s figures, tables and files land under it, not in the committed figures/', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-figdir-'));
    const log = console.log;
    process.env.RAYDINO_FIGURES_DIR = dir;
    try {
      console.log = () => {};
      const s = await openSession('99-out-check', { encoders: [{ name: 'x', kind: 'random' } as any] });
      console.log = log;
      const file = s.saveFile('probe.txt', 'ok');
      assert.equal(file, path.join(dir, '99-out-check', 'probe.txt'));
      assert.equal(fs.readFileSync(file, 'utf8'), 'ok');
      assert.ok(!fs.existsSync(path.join(__dirname, '..', '..', 'figures', '99-out-check')));
      await s.close();
    } finally {
      console.log = log;
      delete process.env.RAYDINO_FIGURES_DIR;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
