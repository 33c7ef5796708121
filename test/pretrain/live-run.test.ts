import { strict as assert } from 'assert';
import { liveRunConfig } from '../../lib/pretrain/live-run';
import { resolvePretrainConfig } from '../../lib/pretrain/config';
import { getProfile } from '../../lib/config/profiles';

describe('liveRunConfig', () => {
  it('takes steps, batch, lr and warm-up from the profile, no lr scaling, and only `count` images', () => {
    const base = resolvePretrainConfig({ name: 'x', optim: { steps: 300, batchSize: 8, baseLr: 0.004 } });
    const p = getProfile('quick').pretrain;
    const c = liveRunConfig(base, p, p.batchSize * 2);
    assert.equal(c.name, 'x-live');
    assert.deepEqual([c.optim.steps, c.optim.batchSize, c.optim.baseLr, c.optim.scalingRule, c.optim.warmupSteps, c.data.count],
      [p.steps, p.batchSize, p.lr, 'none', p.warmupSteps, p.batchSize * 2]);
    assert.throws(() => liveRunConfig(base, p, p.batchSize - 1), /must be an integer ≥ the batch size/);
  });
});
