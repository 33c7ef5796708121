import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { epochLength, loadPretrainConfig, resolvePretrainConfig, scaledLr, shardCount } from '../../lib/pretrain/config';
import { dinov2Config, dinov2Yaml } from '../../lib/pretrain/export-dinov2';
import { useCpu } from './helpers';

const CONFIGS = path.join(__dirname, '..', '..', 'configs', 'pretrain');

describe('pretrain config', () => {
  it('fills typed defaults (RayDINO crops, paper fast-setup weight decay, dinov2 teacher) and validates overrides', () => {
    const c = resolvePretrainConfig({ optim: { batchSize: 64 } });
    assert.deepStrictEqual(c.crops.globalScale, [0.15, 1]);
    assert.deepStrictEqual(c.crops.localScale, [0.05, 0.15]);
    assert.strictEqual(c.optim.weightDecay, 0.04);
    assert.strictEqual(c.optim.weightDecayEnd, 0.4);
    assert.strictEqual(c.teacher.momentumTeacher, 0.992);
    assert.strictEqual(scaledLr(c), 0.004 * Math.sqrt(64 / 1024));
    assert.strictEqual(epochLength(c), 16);
  });

  it('names the bad field', () => {
    assert.throws(() => resolvePretrainConfig({ crops: { localScale: [0.2, 0.1] } }), /crops\.localScale/);
    assert.throws(() => resolvePretrainConfig({ optim: { stepz: 3 } }), /optim: Unrecognized key/);
    assert.throws(() => resolvePretrainConfig({ train: { teacher: 'gpu' } }), /train\.teacher/);
    assert.strictEqual(resolvePretrainConfig({}).train.teacher, 'sharded');
    assert.throws(() => resolvePretrainConfig({ train: { shards: 0 } }), /train\.shards/);
    assert.deepStrictEqual(shardCount(resolvePretrainConfig({ train: { workers: 2 } })), { shards: 2, setting: 'train.workers' });
    assert.deepStrictEqual(shardCount(resolvePretrainConfig({ train: { workers: 2, shards: 8 } })), { shards: 8, setting: 'train.shards' });
  });

  it('refuses a warm-up longer than the run, naming the field', () => {
    assert.throws(() => resolvePretrainConfig({ optim: { steps: 100, warmupSteps: 101 } }, 'x.json'),
      /^Error: invalid x\.json:\nx\.json: optim\.warmupSteps: 101 is more than optim\.steps \(100\)/);
    assert.throws(() => resolvePretrainConfig({ optim: { steps: 10 }, teacher: { warmupTeacherTempSteps: 30 } }), /teacher\.warmupTeacherTempSteps: 30 is more than optim\.steps \(10\)/);
    assert.strictEqual(resolvePretrainConfig({ optim: { steps: 100, warmupSteps: 100 } }).optim.warmupSteps, 100);
  });

  it('every shipped config in configs/pretrain validates', () => {
    const files = fs.readdirSync(CONFIGS).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 3);
    for (const f of files) loadPretrainConfig(path.join(CONFIGS, f));
  });
});

describe('dinov2Config', () => {
  it('maps our keys onto ssl_default_config.yaml keys (steps → epochs of OFFICIAL_EPOCH_LENGTH)', () => {
    const c = resolvePretrainConfig({
      model: { arch: 'vit_large', overrides: { patchSize: 14, imgSize: 518 } }, data: { count: 12800 },
      crops: { globalSize: 512, localSize: 224, nLocal: 8 }, optim: { steps: 1000, batchSize: 128, warmupSteps: 200 },
    });
    const y = dinov2Config(c) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.strictEqual(y.student.arch, 'vit_large');
    assert.strictEqual(y.student.patch_size, 14);
    assert.strictEqual(y.train.OFFICIAL_EPOCH_LENGTH, 100);
    assert.strictEqual(y.optim.epochs, 10);
    assert.strictEqual(y.optim.warmup_epochs, 2);
    assert.deepStrictEqual(y.crops.global_crops_scale, [0.15, 1]);
    assert.strictEqual(y.crops.local_crops_number, 8);
    assert.strictEqual(y.crops.global_crops_size, 512);
    assert.strictEqual(y.optim.weight_decay_end, 0.4);
    assert.strictEqual(y.dino.koleo_loss_weight, 0.1);
    assert.strictEqual(y.train.batch_size_per_gpu, 128); // one shard (train.workers 1): the whole batch on one GPU
    assert.strictEqual((dinov2Config(c, undefined, 4) as any).train.batch_size_per_gpu, 32); // eslint-disable-line @typescript-eslint/no-explicit-any
    const text = dinov2Yaml(c, 'x.json');
    assert.match(text, /\ncrops:\n {2}global_crops_scale: \[0\.15, 1\]\n/);
    assert.match(text, /\nteacher:\n {2}momentum_teacher: 0\.992\n/);
  });

  it('refuses an architecture dinov2 does not define', () => {
    assert.throws(() => dinov2Config(resolvePretrainConfig({ model: { arch: 'vit_nano' } })), /vit_nano has no dinov2 counterpart/);
  });
});

describe('embedded checkpoints (checkpoints/vit-*)', () => {
  const root = path.join(__dirname, '..', '..', 'checkpoints');
  const dirs = ['vit-nano-synthetic', 'vit-micro-synthetic', 'vit-nano-popA'];
  before(useCpu);
  for (const d of dirs) {
    it(`${d}: resolved config, full log, loadable float16 teacher, probe beating random init on the linear probe`, () => {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { loadViT } = require('../../lib/models/weights');
      const dir = path.join(root, d);
      const cfg = loadPretrainConfig(path.join(dir, 'config.json'));
      const log = fs.readFileSync(path.join(dir, 'log.jsonl'), 'utf8').trim().split('\n');
      assert.strictEqual(log.length, cfg.optim.steps);
      const vit = loadViT(path.join(dir, 'model.safetensors'));
      assert.strictEqual(vit.config.name, cfg.model.arch);
      vit.dispose();
      const probe = JSON.parse(fs.readFileSync(path.join(dir, 'probe.json'), 'utf8'));
      assert.ok(probe.pretrained.linearMacroAuroc > probe.randomInit.linearMacroAuroc + 0.03);
    });
  }
});
