import { strict as assert } from 'assert';
import { lrConfigName, lrGridFields, selectLearningRate } from '../../lib/eval/dense/lr-grid';
import { z } from 'zod';

/** A fake head: its validation score is given per (seed, lr); disposal is recorded. */
function grid(scores: Record<string, number>) {
  const disposed: string[] = [];
  const logs: string[] = [];
  const r = selectLearningRate({
    seeds: [0, 1], lrs: [1e-3, 1e-2, 1e-1], metric: 'mDice', protocol: 'toy', log: (m) => logs.push(m),
    train: (lr, seed) => {
      const key = `${seed}/${lr}`;
      return { head: { key, dispose: () => { disposed.push(key); } }, lossHistory: [2, 1, lr], seconds: 0.5 };
    },
    score: (h) => scores[h.key],
  });
  return { ...r, disposed, logs };
}

describe('selectLearningRate', () => {
  it('keeps the best lr per seed: NaN never wins, ties keep the earlier lr, losers are disposed at once', () => {
    const r = grid({ '0/0.001': NaN, '0/0.01': 0.5, '0/0.1': 0.5, '1/0.001': 0.2, '1/0.01': 0.9, '1/0.1': NaN });
    assert.deepEqual(r.best.map((b) => [b.seed, b.lr, (b.head as any).key]), [[0, 0.01, '0/0.01'], [1, 0.01, '1/0.01']]);
    assert.deepEqual(r.disposed, ['0/0.001', '0/0.1', '1/0.001', '1/0.1']);
    const rows = r.selection.objects() as Record<string, unknown>[];
    assert.deepEqual(r.selection.columnNames(), ['seed', 'lr', 'val_mDice', 'train_loss', 'seconds', 'selected']);
    assert.equal(rows.length, 6);
    assert.deepEqual(rows.filter((x) => x.selected).map((x) => [x.seed, x.lr]), [[0, 0.01], [1, 0.01]]);
    assert.equal(rows[2].train_loss, 0.1);                                  // last epoch's loss
    assert.equal(r.logs[1], 'toy: seed 0 lr 0.01 val mDice 0.5000 (0.5 s)');
  });
  it('an all-NaN seed keeps its first lr', () => {
    const r = grid({ '0/0.001': NaN, '0/0.01': NaN, '0/0.1': NaN, '1/0.001': 0.1, '1/0.01': 0.3, '1/0.1': 0.2 });
    assert.deepEqual(r.best.map((b) => b.lr), [0.001, 0.01]);
  });
  it('names a config by its lr', () => assert.equal(lrConfigName(0.003), 'lr=0.003'));
});

describe('lrGridFields', () => {
  it('gives the protocol its defaults and checks the shared fields', () => {
    const s = z.object(lrGridFields({ task: 't', lrs: [1, 2], epochs: 3, batchSize: 4 })).strict();
    assert.deepEqual(s.parse({ model: 'm' }), { model: 'm', task: 't', seeds: [0], lrs: [1, 2], epochs: 3, batchSize: 4, weightDecay: 0.01, warmupFrac: 0.1 });
    assert.throws(() => s.parse({ model: 'm', lrs: [] }), /at least 1/);
    assert.throws(() => s.parse({ model: 'm', warmupFrac: 2 }));
  });
});
