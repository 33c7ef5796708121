import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadSupervisedCheckpoint, saveSupervisedCheckpoint } from '../../lib/baselines/supervised-checkpoint';
import { SupervisedRun } from '../../lib/baselines/supervised-trainer';
import { macroAuroc } from '../../lib/stats/macro';
import { useCpu } from '../pretrain/helpers';
import { tinyConfig, tinyData } from './helpers';

function snapshot(run: SupervisedRun): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [k, p] of run.params) out.set(`p/${k}`, p.dataSync() as Float32Array);
  const st = run.optimizer.state();
  for (const [k, v] of st.m) out.set(`m/${k}`, v);
  for (const [k, v] of st.v) out.set(`v/${k}`, v);
  return out;
}

function assertSame(a: Map<string, Float32Array>, b: Map<string, Float32Array>, what: string): void {
  assert.deepStrictEqual([...a.keys()], [...b.keys()]);
  for (const [k, v] of a) assert.deepStrictEqual(b.get(k), v, `${what}: ${k} differs`);
}

describe('SupervisedRun', () => {
  before(useCpu);
  const train = tinyData(12);
  const val = tinyData(10, 1);

  it('a 3-step run is a pure function of the seed (same weights and moments twice), and the weights move', () => {
    const runs = [0, 1].map(() => new SupervisedRun(tinyConfig, train, val));
    const init = snapshot(runs[0]);
    const records = runs.map((r) => [r.trainStep(), r.trainStep(), r.trainStep()]);
    assertSame(snapshot(runs[0]), snapshot(runs[1]), 'two runs');
    assert.deepStrictEqual(records[0].map((r) => r.loss), records[1].map((r) => r.loss));
    assert.notDeepStrictEqual(snapshot(runs[0]).get('p/blocks.0.attn.qkv.weight'), init.get('p/blocks.0.attn.qkv.weight'));
    for (const r of records[0]) assert.ok(Number.isFinite(r.loss) && r.loss > 0 && Number.isFinite(r.grad_norm), JSON.stringify(r));
    assert.strictEqual(records[0][0].lr, 0, 'warm-up starts at 0 (dinov2 CosineScheduler linspace)');
    assert.ok(Math.abs(records[0][1].lr - 1e-3) < 1e-12, 'warm-up reaches the base lr at its last step');
    runs.forEach((r) => r.dispose());
  });

  it('a different seed gives different weights', () => {
    const a = new SupervisedRun(tinyConfig, train, val);
    const b = new SupervisedRun({ ...tinyConfig, seed: 6 }, train, val);
    assert.notDeepStrictEqual(a.params.get('head.weight')!.dataSync(), b.params.get('head.weight')!.dataSync());
    a.dispose(); b.dispose();
  });

  it('resumes exactly: 4 steps straight equal 2 + checkpoint + resume + 2, bit for bit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-sup-resume-'));
    const a = new SupervisedRun(tinyConfig, train, val);
    for (let i = 0; i < 4; i++) a.trainStep();
    const straight = snapshot(a);
    a.dispose();
    const b = new SupervisedRun(tinyConfig, train, val);
    b.trainStep(); b.trainStep();
    saveSupervisedCheckpoint(b, dir);
    b.dispose();
    const c = new SupervisedRun(tinyConfig, train, val);
    loadSupervisedCheckpoint(c, dir);
    assert.strictEqual(c.step, 2);
    c.trainStep(); c.trainStep();
    assertSame(straight, snapshot(c), 'resumed');
    // a checkpoint of another config is refused
    const d = new SupervisedRun({ ...tinyConfig, optim: { ...tinyConfig.optim, lr: 2e-3 } }, train, val);
    assert.throws(() => loadSupervisedCheckpoint(d, dir), /different config/);
    d.dispose(); c.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('trainStep and evaluate do not leak tensors', () => {
    const run = new SupervisedRun(tinyConfig, train, val);
    run.trainStep();
    run.evaluate();
    const before = tf.memory().numTensors;
    run.trainStep();
    run.evaluate();
    assert.strictEqual(tf.memory().numTensors, before, 'tensor leak');
    run.dispose();
  });

  it('evaluate = lib/stats macroAuroc of the predicted logits, NaN labels dropped per class', () => {
    const run = new SupervisedRun(tinyConfig, train, val);
    run.trainStep();
    const e = run.evaluate();
    const { evalBatch } = require('../../lib/baselines/light-augment');
    const logits = run.predict(evalBatch(val.images, 32, 0.5, 0.25), val.images.length);
    const Y = [0, 1, 2].map((c) => val.labels.filter((_, i) => i % 3 === c));
    const S = [0, 1, 2].map((c) => logits.filter((_, i) => i % 3 === c));
    assert.strictEqual(e.macroAuroc, macroAuroc(Y, S).macro);
    assert.ok(e.loss > 0 && e.macroAuroc >= 0 && e.macroAuroc <= 1);
    run.dispose();
  });

  it('rejects a batch larger than the data and mismatched label columns', () => {
    assert.throws(() => new SupervisedRun({ ...tinyConfig, optim: { ...tinyConfig.optim, batchSize: 20 } }, train), /12 training images for a batch of 20/);
    assert.throws(() => new SupervisedRun(tinyConfig, train, { ...val, labelNames: ['a', 'b', 'c'] }), /label columns differ/);
  });
});
