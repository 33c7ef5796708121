import { strict as assert } from 'assert';
import { createRng } from '../../../lib/engine/rng';
import { runEpochs, warmupLinearLr } from '../../../lib/adapters/head/lr-schedule';

describe('runEpochs', () => {
  it('visits every row once per epoch in the seeded order, with the warm-up/decay lr, averaging loss per epoch', () => {
    const seen: number[][] = [];
    const lrs: number[] = [];
    let disposed = 0;
    const r = runEpochs({ n: 10, batchSize: 4, epochs: 2, lr: 0.1, warmupFrac: 0.5 }, createRng(7), (idx, lr) => {
      seen.push([...idx]);
      lrs.push(lr);
      const v = idx.length; // loss = batch size, so epoch mean = (4 + 4 + 2) / 3
      return { dataSync: () => [v], dispose: () => { disposed++; } };
    });
    assert.equal(r.steps, 6);
    assert.equal(disposed, 6, 'every batch loss is freed');
    assert.deepEqual(r.lossHistory, [10 / 3, 10 / 3]);
    const rng = createRng(7);
    for (let e = 0; e < 2; e++) {
      const perm = [...rng.permutation(10)];
      assert.deepEqual(seen.slice(3 * e, 3 * e + 3).flat(), perm);
    }
    assert.deepEqual(lrs, [0, 1, 2, 3, 4, 5].map((s) => warmupLinearLr(s, 6, 3, 0.1)));
  });
});
