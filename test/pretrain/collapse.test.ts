/**
 * The collapse test of issue 11: a short fixed-seed pretraining on the phantoms with the embedded recipe shows no sign
 * of collapse in its health figures, and the recipe the embedded checkpoints used before (no head-input normalisation,
 * crops down to 15 % of the image, ±0.4 jitter, 2 local crops, one shared head) does — within the same 40 steps.
 */
import * as assert from 'assert';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../lib/engine/backend';
import { loadPretrainConfig, PretrainConfig, resolvePretrainConfig } from '../../lib/pretrain/config';
import { loadPretrainImages } from '../../lib/pretrain/data';
import { collapseSigns } from '../../lib/pretrain/health';
import { PretrainRun, StepRecord } from '../../lib/pretrain/trainer';

const EMBEDDED = path.join(__dirname, '..', '..', 'configs', 'pretrain', 'vit-nano-synthetic.json');

/** The embedded config cut to a test-sized run: 384 phantoms, batch 32, 40 steps in one process. */
function short(c: PretrainConfig, overrides: Record<string, object> = {}): PretrainConfig {
  return resolvePretrainConfig({
    ...c, ...overrides,
    data: { ...c.data, count: 384 },
    optim: { ...c.optim, steps: 40, batchSize: 32, warmupSteps: 10, freezeLastLayerSteps: 10 },
    train: { ...c.train, workers: 1 },
  }, 'short collapse-test run');
}

async function run(c: PretrainConfig): Promise<StepRecord[]> {
  const images = await loadPretrainImages(c);
  const r = new PretrainRun(c, images);
  try {
    return Array.from({ length: c.optim.steps }, () => r.trainStep());
  } finally {
    r.dispose();
  }
}

describe('collapse test (short fixed-seed pretraining on the phantoms)', function () {
  this.timeout(600_000);
  before(async () => {
    const info = await initBackend({ prefer: 'wasm' });
    if (tf.getBackend() !== info.name) { await tf.setBackend(info.name); await tf.ready(); }
  });
  const embedded = loadPretrainConfig(EMBEDDED);

  it('the embedded recipe shows no sign of collapse', async () => {
    const c = short(embedded);
    const records = await run(c);
    assert.deepStrictEqual(collapseSigns(records, c.head.prototypes), []);
  });

  it('the previous recipe collapses: uniform teacher targets from the start', async () => {
    const c = short(embedded, {
      crops: { ...embedded.crops, globalScale: [0.15, 1], nLocal: 2, jitter: 0.4 },
      head: { ...embedded.head, hiddenDim: 256, bottleneckDim: 64, inputNorm: 'none', ibotSeparateHead: false },
      optim: { ...embedded.optim, baseLr: 0.004 },
    });
    const signs = collapseSigns(await run(c), c.head.prototypes);
    assert.ok(signs.some((s) => s.startsWith('uniform teacher targets')), `expected collapse signs, got ${JSON.stringify(signs)}`);
  });
});

describe('collapseSigns', () => {
  const rec = (step: number, o: Partial<StepRecord> = {}) => ({
    step, dino_loss: 4, ibot_ce: 3, teacher_entropy: 4.5, student_entropy: 4.8, logit_row_sd: 0.1, cls_cosine: 0.3, cls_effective_rank: 20, ...o,
  });
  const K = 256, lnK = Math.log(K);
  it('is empty for a healthy log and names each sign with its numbers', () => {
    const ok = Array.from({ length: 20 }, (_, i) => rec(i));
    assert.deepStrictEqual(collapseSigns(ok, K, { final: true }), []);
    const bad = Array.from({ length: 20 }, (_, i) => rec(i, {
      ...(i >= 10 ? { teacher_entropy: 0.99 * lnK, logit_row_sd: 0.02, cls_cosine: 0.99, cls_effective_rank: 1.2 } : {}),
      ...(i >= 15 ? { dino_loss: lnK } : {}),
    }));
    const signs = collapseSigns(bad, K, { final: true, window: 5 });
    for (const s of ['uniform teacher targets', 'flattening prototype logits', 'backbone CLS tokens aligned', 'effective rank 1.20 < 2', 'DINO loss 5.545 > 0.8·log K', 'DINO loss climbing back']) {
      assert.ok(signs.some((x) => x.includes(s)), `missing "${s}" in ${JSON.stringify(signs)}`);
    }
  });
  it('refuses a log too short to judge', () => {
    assert.throws(() => collapseSigns([rec(0)], K), /at least 2 log records/);
  });
});
