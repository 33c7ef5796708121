import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pretrainCommand } from '../../lib/cli/commands/pretrain';
import { loadViT } from '../../lib/models/weights';
import { runPretraining } from '../../lib/pretrain/run';
import { resolvePretrainConfig } from '../../lib/pretrain/config';
import { tinyConfig, tinyImages } from './tiny';
import { useCpu } from './helpers';

describe('runPretraining', () => {
  before(useCpu);

  it('writes config.json, a JSONL log, a resumable checkpoint and finally the teacher backbone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-run-'));
    const cfg = resolvePretrainConfig({ ...tinyConfig, optim: { ...tinyConfig.optim, steps: 3 }, train: { checkpointEvery: 2 } });
    const images = tinyImages(12);
    const first = await runPretraining(cfg, { outDir: dir, images, maxSteps: 2, quiet: true });
    assert.strictEqual(first.steps, 2);
    assert.strictEqual(first.modelPath, null);
    assert.ok(fs.existsSync(path.join(dir, 'checkpoint.safetensors')));
    await assert.rejects(runPretraining(cfg, { outDir: dir, images, quiet: true }), /pass --resume/);
    const done = await runPretraining(cfg, { outDir: dir, images, resume: true, quiet: true, keepFinalCheckpoint: false });
    assert.strictEqual(done.steps, 3);
    assert.ok(!fs.existsSync(path.join(dir, 'checkpoint.safetensors')));
    const lines = fs.readFileSync(path.join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepStrictEqual(lines.map((l) => l.step), [0, 1, 2]);
    for (const k of ['lr', 'wd', 'momentum', 'teacher_temp', 'dino_loss', 'ibot_loss', 'koleo_loss', 'total_loss', 'img_per_s']) assert.ok(k in lines[2], k);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')), JSON.parse(JSON.stringify(cfg)));
    const vit = loadViT(done.modelPath!);
    assert.strictEqual(vit.config.dim, 24);
    vit.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('raydino pretrain --export-dinov2', () => {
  it('writes the dinov2 YAML for a paper-scale config', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-exp-')), 'ssl.yaml');
    const log = console.log;
    console.log = () => undefined;
    try {
      const code = await pretrainCommand.run(['--export-dinov2', '--config', path.join(__dirname, '..', '..', 'configs', 'pretrain', 'raydino-paper-vitl.json'), '--out', out]);
      assert.strictEqual(code, 0);
    } finally { console.log = log; }
    const y = fs.readFileSync(out, 'utf8');
    assert.match(y, /\nstudent:\n {2}arch: vit_large\n {2}patch_size: 14\n/);
    assert.match(y, /\n {2}local_crops_size: 224\n/);
    assert.match(y, /\n {2}centering: sinkhorn_knopp\n/);
    // the template's global batch of 3,072 over its train.shards 32 (4 nodes × 8 GPUs), not 3,072 on every GPU
    assert.match(y, /\n {2}batch_size_per_gpu: 96\n/);
    assert.match(y, /^# .*\n# For 32 GPUs in all .*batch_size_per_gpu 96 × 32 = optim.batchSize 3072\./);
  });

  it('--gpus sets the GPU count; a batch that does not split and --gpus without the export are refused', async () => {
    const cfg = path.join(__dirname, '..', '..', 'configs', 'pretrain', 'raydino-paper-vitl.json');
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-exp-')), 'ssl.yaml');
    const log = console.log;
    console.log = () => undefined;
    try {
      assert.strictEqual(await pretrainCommand.run(['--export-dinov2', '--config', cfg, '--out', out, '--gpus', '16']), 0);
      assert.match(fs.readFileSync(out, 'utf8'), /\n {2}batch_size_per_gpu: 192\n/);
      await assert.rejects(pretrainCommand.run(['--export-dinov2', '--config', cfg, '--out', out, '--gpus', '7']),
        /optim\.batchSize 3072 does not split over 7 GPUs/);
      await assert.rejects(pretrainCommand.run(['--config', cfg, '--gpus', '8']), /--gpus is for --export-dinov2/);
    } finally { console.log = log; }
  });
});
