// `raydino supervised` (lib/cli/commands/supervised.ts): argument and config errors (a full run is covered through
// runSupervisedPretraining in supervised-pretrain.test.ts; the command only adds the backend choice and the paths).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { supervisedCommand } from '../../lib/cli/commands/supervised';

describe('supervisedCommand', () => {
  it('needs --config, and names a missing or invalid config file', async () => {
    await assert.rejects(supervisedCommand.run([]), /missing --config/);
    await assert.rejects(supervisedCommand.run(['--config', '/nonexistent/x.json']), /supervised config not found: \/nonexistent\/x.json/);
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-supcmd-')), 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ optim: { steps: -1 } }));
    await assert.rejects(supervisedCommand.run(['--config', bad]), /bad.json: optim.steps/);
    fs.rmSync(path.dirname(bad), { recursive: true, force: true });
  });

  it('the committed config resolves and names the committed checkpoint folder', () => {
    const { loadSupervisedConfig } = require('../../lib/baselines/config');
    const c = loadSupervisedConfig(path.join(__dirname, '..', '..', 'configs', 'supervised', 'vit_nano-popA.json'));
    assert.strictEqual(c.name, 'supervised-vit_nano-popA');
    const saved = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'checkpoints', c.name, 'config.json'), 'utf8'));
    assert.deepStrictEqual(saved, JSON.parse(JSON.stringify(c)), 'checkpoints/…/config.json is the resolved config of configs/supervised/vit_nano-popA.json');
  });
});
