import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { readSafetensors } from '../../lib/io/safetensors';
import { DataParallelRun } from '../../lib/pretrain/data-parallel';
import { resolvePretrainConfig } from '../../lib/pretrain/config';
import { runPretraining } from '../../lib/pretrain/run';
import { PretrainRun } from '../../lib/pretrain/trainer';
import { useCpu } from './helpers';
import { tinyConfig, tinyImages } from './tiny';

/** Counts Worker.terminate calls (every WorkerPool worker is a worker_threads Worker). */
function countTerminations(): { count(): number; restore(): void } {
  const original = Worker.prototype.terminate;
  let n = 0;
  Worker.prototype.terminate = function terminate(this: Worker) {
    n += 1;
    return original.call(this);
  };
  return { count: () => n, restore: () => { Worker.prototype.terminate = original; } };
}

/** max |a − b| / max |a| over one gradient tensor. */
function relError(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync(), y = b.dataSync();
  let d = 0, m = 0;
  for (let i = 0; i < x.length; i++) { d = Math.max(d, Math.abs(x[i] - y[i])); m = Math.max(m, Math.abs(x[i])); }
  return d / (m || 1);
}

describe('DataParallelRun (2 worker threads)', function () {
  this.timeout(120_000);
  before(useCpu);
  const images = tinyImages(12);

  it('averages shard gradients into the full-batch gradient (KoLeo 0, drop-path 0), leaks nothing, reports worker errors', async () => {
    for (const variant of [
      { teacher: 'main' as const, dino: { centering: 'centering' as const, koleoLossWeight: 0 }, head: tinyConfig.head },
      { teacher: 'sharded' as const, dino: { centering: 'sinkhorn_knopp' as const, koleoLossWeight: 0 }, head: { ...tinyConfig.head, ibotSeparateHead: true } },
    ]) {
      const cfg = resolvePretrainConfig({
        ...tinyConfig, dino: variant.dino, head: variant.head, model: { ...tinyConfig.model, dropPathRate: 0 },
        ibot: { maskSampleProbability: 0.5 }, train: { workers: 2 },
      });
      const one = new PretrainRun(cfg, images);
      const dp = await DataParallelRun.create(cfg, images, { teacher: variant.teacher });
      try {
        for (const s of [0, 1]) {
          const full = one.stepGradients(s);
          const avg = await dp.stepGradients(s);
          assert.deepStrictEqual([...avg.grads.keys()].sort(), [...full.grads.keys()].sort(), 'gradient keys');
          for (const [k, g] of full.grads) {
            const e = relError(g, avg.grads.get(k)!);
            assert.ok(e < 1e-5, `teacher ${variant.teacher}, ${variant.dino.centering}, step ${s}: ${k} differs by ${e} (relative)`);
          }
          assert.ok(Math.abs(avg.losses.total - full.losses.total) < 1e-5 * full.losses.total, 'loss');
          assert.strictEqual(avg.masked, full.masked);
          tf.dispose([...full.grads.values(), ...avg.grads.values()]);
        }
        // a whole step frees everything it made on the main thread
        await dp.trainStep();
        const before = tf.memory().numTensors;
        await dp.trainStep();
        assert.strictEqual(tf.memory().numTensors, before, 'trainStep leaks tensors');
        // an error inside a worker reaches the caller with the worker's message
        await assert.rejects(dp.pool.run({ step: 7, shard: 1, weights: new Float32Array(3) }), /task\.global must be a Float32Array \(step 7, shard 1\)/);
      } finally {
        one.dispose();
        await dp.close();
      }
    }
  });

  it('is deterministic and resumes exactly with 2 workers; workers are terminated at the end and on error', async () => {
    const cfg = resolvePretrainConfig({ ...tinyConfig, optim: { ...tinyConfig.optim, steps: 4 }, train: { workers: 2, checkpointEvery: 2 } });
    const dirs = [0, 1, 2].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-dp-')));
    const term = countTerminations();
    try {
      const straight = await runPretraining(cfg, { outDir: dirs[0], images, quiet: true });
      assert.strictEqual(term.count(), 2, 'workers terminated after the run');
      await runPretraining(cfg, { outDir: dirs[1], images, quiet: true, maxSteps: 2 });
      const resumed = await runPretraining(cfg, { outDir: dirs[1], images, quiet: true, resume: true });
      assert.strictEqual(resumed.steps, 4);
      // drop-path 0.2 and KoLeo are on: a second run reproduces the first, and 2 + resume + 2 = 4 straight, bit for bit
      const losses = (d: string) => fs.readFileSync(path.join(d, 'log.jsonl'), 'utf8').trim().split('\n')
        .map((l) => { const { seconds, img_per_s: ips, ...rest } = JSON.parse(l); void seconds; void ips; return rest; });
      assert.deepStrictEqual(losses(dirs[1]), losses(dirs[0]));
      for (const f of ['checkpoint.safetensors', 'model.safetensors']) {
        assert.ok(fs.readFileSync(path.join(dirs[0], f)).equals(fs.readFileSync(path.join(dirs[1], f))), `${f} differs after resume`);
      }
      assert.ok(straight.records.every((r) => Number.isFinite(r.total_loss) && r.koleo_loss !== 0));
      // train.shards 2 on ONE worker runs the same 2 shards in turn (gradient accumulation): the same run, bit for bit
      const acc = resolvePretrainConfig({ ...cfg, train: { ...cfg.train, workers: 1, shards: 2 } });
      const accDir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-dp-'));
      dirs.push(accDir);
      await runPretraining(acc, { outDir: accDir, images, quiet: true });
      assert.deepStrictEqual(losses(accDir), losses(dirs[0]));
      // the weights, not the file (its metadata records the config, train.* included)
      const teacher = (d: string) => readSafetensors(path.join(d, 'model.safetensors')).tensors;
      assert.deepStrictEqual(teacher(accDir), teacher(dirs[0]), 'the teacher exported after accumulation differs');
      const ended = term.count();
      await assert.rejects(runPretraining(cfg, { outDir: dirs[2], images, quiet: true, onStep: () => { throw new Error('stop here'); } }), /stop here/);
      assert.strictEqual(term.count() - ended, 2, 'workers terminated on error');
    } finally {
      term.restore();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('refuses a batch that does not split into equal shards before starting workers or writing files', async () => {
    const cfg = resolvePretrainConfig({ ...tinyConfig, train: { workers: 3 } });
    await assert.rejects(DataParallelRun.create(cfg, images), /optim\.batchSize 4 is not divisible by train\.workers 3/);
    const dir = path.join(os.tmpdir(), `raydino-dp-never-${process.pid}`);
    await assert.rejects(runPretraining(cfg, { outDir: dir, images, quiet: true }), /not divisible by train\.workers 3/);
    assert.ok(!fs.existsSync(dir), 'nothing written for a rejected config');
    // gradient accumulation: the shard count is train.shards, and the error names that setting, also on one worker
    const acc = resolvePretrainConfig({ ...tinyConfig, train: { workers: 1, shards: 3 } });
    await assert.rejects(DataParallelRun.create(acc, images), /optim\.batchSize 4 is not divisible by train\.shards 3/);
    await assert.rejects(runPretraining(acc, { outDir: dir, images, quiet: true }), /not divisible by train\.shards 3/);
    assert.ok(!fs.existsSync(dir), 'nothing written for a rejected config');
  });
});
