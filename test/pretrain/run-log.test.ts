import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { prepareRunLog } from '../../lib/pretrain/run-log';

describe('prepareRunLog', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-log-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'log.jsonl');
  const steps = () => fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).step);

  it('on resume keeps only the lines before the checkpoint step', () => {
    fs.writeFileSync(file, [0, 1, 2, 3, 4].map((s) => JSON.stringify({ step: s, loss: s / 10 })).join('\n') + '\n');
    prepareRunLog(file, 3);
    assert.deepEqual(steps(), [0, 1, 2]);
  });
  it('a fresh run starts an empty log; resuming with no log file leaves none', () => {
    prepareRunLog(file, null);
    assert.equal(fs.readFileSync(file, 'utf8'), '');
    const other = path.join(dir, 'none.jsonl');
    prepareRunLog(other, 5);
    assert.equal(fs.existsSync(other), false);
  });
});
