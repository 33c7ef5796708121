import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SupervisedConfig } from '../../lib/baselines/config';
import { loadSupervisedCheckpoint } from '../../lib/baselines/supervised-checkpoint';
import { runSupervisedPretraining } from '../../lib/baselines/supervised-pretrain';
import { SupervisedRun } from '../../lib/baselines/supervised-trainer';
import { createTfjsEncoder } from '../../lib/features/tfjs-encoder';
import { readSafetensors } from '../../lib/io/safetensors';
import { loadViT } from '../../lib/models/weights';
import { expectClose, useCpu } from '../pretrain/helpers';
import { tinyConfig, tinyData } from './helpers';

const config: SupervisedConfig = { ...tinyConfig, optim: { ...tinyConfig.optim, steps: 3 } };

function input(n: number): tf.Tensor4D {
  const x = new Float32Array(n * 32 * 32);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 1.5;
  return tf.tensor4d(x, [n, 1, 32, 32]);
}

describe('runSupervisedPretraining', () => {
  before(useCpu);
  const data = { train: tinyData(12), val: tinyData(10, 1) };
  const dirs: string[] = [];
  const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-sup-')); dirs.push(d); return d; };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('writes config, log, head, metrics and a backbone that loadViT reopens with the same CLS as the trained model', async () => {
    const out = tmp();
    const r = await runSupervisedPretraining(config, { outDir: out, data, quiet: true });
    assert.strictEqual(r.steps, 3);
    for (const f of ['config.json', 'log.jsonl', 'model.safetensors', 'model.json', 'head.safetensors', 'metrics.json', 'checkpoint.safetensors']) {
      assert.ok(fs.existsSync(path.join(out, f)), f);
    }
    const log = fs.readFileSync(r.log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepStrictEqual(log.map((l) => l.step), [0, 1, 2]);
    assert.ok(log[2].val_macro_auroc >= 0 && log[2].val_macro_auroc <= 1 && log[2].val_classes_scored === 3, JSON.stringify(log[2]));
    assert.strictEqual(log[0].val_macro_auroc, undefined);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')), JSON.parse(JSON.stringify(config)));
    const metrics = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    assert.strictEqual(metrics.val_macro_auroc, log[2].val_macro_auroc);
    const head = readSafetensors(path.join(out, 'head.safetensors'));
    assert.deepStrictEqual(head.tensors.get('head.weight')!.shape, [48, 3]);
    assert.deepStrictEqual(JSON.parse(head.metadata.label_names), ['disk', 'stripes', 'both']);

    // the trained state (from the exact-resume checkpoint) vs the exported backbone
    const trained = new SupervisedRun(config, data.train, data.val);
    loadSupervisedCheckpoint(trained, out);
    const vit = loadViT(r.modelPath!);
    assert.strictEqual(vit.config.dropPathRate, 0.2); // config kept as trained; dropped path is inactive at inference
    const x = input(3);
    const a = trained.vit.forward(x), b = vit.forward(x);
    assert.deepStrictEqual(b.cls.dataSync(), a.cls.dataSync());
    // the Encoder seam (lib/features) embeds identically
    const enc = createTfjsEncoder(vit, { inputSize: 32 });
    const e = await enc.embed(x.dataSync() as Float32Array, 3);
    expectClose(e.cls, a.cls.dataSync(), 1e-6, 'encoder cls');
    tf.dispose([x, a.cls, a.patches, b.cls, b.patches]);
    await enc.dispose();
    trained.dispose();
  });

  it('selectBest exports the weights of the best validation step; patience stops at the first run of non-improving evaluations', async () => {
    const sel: SupervisedConfig = { ...config, optim: { ...config.optim, steps: 8 }, train: { ...config.train, evalEvery: 1, selectBest: true, patience: null, float16: false } };
    const out = tmp();
    const r = await runSupervisedPretraining(sel, { outDir: out, data, quiet: true });
    const log = fs.readFileSync(r.log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const aurocs = log.map((l) => l.val_macro_auroc as number);
    const bestStep = aurocs.indexOf(Math.max(...aurocs)) + 1;   // run.step after the logged step index
    assert.strictEqual(r.exportedStep, bestStep);
    const metrics = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    assert.strictEqual(metrics.exported_step, bestStep);
    assert.strictEqual(metrics.val_macro_auroc, Math.max(...aurocs));
    for (const f of ['best-model.safetensors', 'best-head.safetensors', 'best.json']) assert.ok(!fs.existsSync(path.join(out, f)), `${f} is folded into the export`);
    // the same run stopped after bestStep steps holds those weights in its exact-resume checkpoint
    const upTo = tmp();
    await runSupervisedPretraining(sel, { outDir: upTo, data, quiet: true, maxSteps: bestStep });
    const atBest = new SupervisedRun(sel, data.train, data.val);
    loadSupervisedCheckpoint(atBest, upTo);
    const exported = loadViT(r.modelPath!);
    const x = input(2);
    const a = atBest.vit.forward(x), b = exported.forward(x);
    assert.deepStrictEqual(b.cls.dataSync(), a.cls.dataSync());
    tf.dispose([x, a.cls, a.patches, b.cls, b.patches]);
    exported.dispose(); atBest.dispose();

    // patience 1: the run ends at the first evaluation that does not beat the best so far (ties do not)
    const pat = tmp();
    const p = await runSupervisedPretraining({ ...sel, optim: { ...sel.optim, steps: 30 }, train: { ...sel.train, patience: 1 } }, { outDir: pat, data, quiet: true });
    const seen = fs.readFileSync(p.log, 'utf8').trim().split('\n').map((l) => JSON.parse(l).val_macro_auroc as number);
    const firstStale = seen.findIndex((v, i) => i > 0 && v <= Math.max(...seen.slice(0, i)));
    assert.ok(firstStale > 0 && firstStale < 29, `a stale evaluation within 30 steps (${seen.join(', ')})`);
    assert.strictEqual(p.steps, firstStale + 1);
    assert.strictEqual(p.stoppedEarly, true);
    assert.ok(fs.existsSync(path.join(pat, 'model.safetensors')));
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(pat, 'metrics.json'), 'utf8')).stopped_early, true);
  });

  it('float16 export stays within float16 rounding of the float32 model', async () => {
    const out32 = tmp(), out16 = tmp();
    await runSupervisedPretraining(config, { outDir: out32, data, quiet: true });
    await runSupervisedPretraining({ ...config, train: { ...config.train, float16: true, keepFinalCheckpoint: false } }, { outDir: out16, data, quiet: true });
    assert.ok(!fs.existsSync(path.join(out16, 'checkpoint.safetensors')), 'keepFinalCheckpoint: false removes the optimiser state');
    assert.strictEqual(readSafetensors(path.join(out16, 'model.safetensors')).tensors.get('blocks.0.attn.qkv.weight')!.dtype, 'float16');
    const x = input(2);
    const [a, b] = [out32, out16].map((d) => { const v = loadViT(path.join(d, 'model.safetensors')); const o = v.forward(x); v.dispose(); return o; });
    expectClose(b.cls.dataSync(), a.cls.dataSync(), 2e-2, 'float16 cls');
    tf.dispose([x, a.cls, a.patches, b.cls, b.patches]);
  });

  it('resume: 2 steps + --resume gives the same backbone file and log as a straight run', async () => {
    const straight = tmp(), split = tmp();
    await runSupervisedPretraining(config, { outDir: straight, data, quiet: true });
    const first = await runSupervisedPretraining(config, { outDir: split, data, quiet: true, maxSteps: 2 });
    assert.strictEqual(first.modelPath, null);
    await assert.rejects(runSupervisedPretraining(config, { outDir: split, data, quiet: true }), /pass --resume/);
    await runSupervisedPretraining(config, { outDir: split, data, quiet: true, resume: true });
    for (const f of ['model.safetensors', 'head.safetensors']) {
      assert.ok(fs.readFileSync(path.join(straight, f)).equals(fs.readFileSync(path.join(split, f))), `${f} differs`);
    }
    const strip = (d: string) => fs.readFileSync(path.join(d, 'log.jsonl'), 'utf8').trim().split('\n')
      .map((l) => { const { seconds, img_per_s, ...rest } = JSON.parse(l); return rest; });
    assert.deepStrictEqual(strip(split), strip(straight));
  });
});
