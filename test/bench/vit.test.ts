import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BenchCase, benchOnnx, timeInterleaved, torchRatios } from '../../lib/bench/vit';
import { initBackend } from '../../lib/engine/backend';
import { parseViTConfig } from '../../lib/models/config';
import { ViT } from '../../lib/models/vit';

const tiny: BenchCase = {
  key: 'tiny_16', size: 16, batch: 2, iters: 1, train: true,
  config: parseViTConfig({ name: 'tiny', imgSize: 16, patchSize: 8, inChans: 1, dim: 16, depth: 1, heads: 2, mlpHidden: 32, numRegisters: 0, mean: [0.5], std: [0.25] }),
};

describe('vit bench', function () {
  this.timeout(60000);
  before(() => initBackend());

  it('torchRatios: every ratio against the faster PyTorch configuration, int8 beside fp32', () => {
    const ours = { onnx_tiny_16_img_s: 30, onnx2w_tiny_16_img_s: 40, onnx_int8_tiny_16_img_s: 60, tfjs_tiny_16_img_s: 5, tfjs_train_tiny_16_img_s: 2 };
    const bf16 = torchRatios([tiny], ours, { torch: '2.13.0', bf16: 'yes', tiny_16: 10, tiny_16_bf16: 20, tiny_16_train: 4 });
    assert.equal(bf16.torch_best_tiny_16, '2.13.0 bf16 autocast');
    assert.equal(bf16.torch_tiny_16_img_s, 20);
    assert.equal(bf16.onnx_vs_torch_tiny_16, 1.5);
    assert.equal(bf16.onnx2w_vs_torch_tiny_16, 2);
    assert.equal(bf16.onnx_int8_vs_torch_tiny_16, 3);
    assert.equal(bf16.tfjs_vs_torch_tiny_16, 0.25);
    assert.equal(bf16.tfjs_train_vs_torch_tiny_16, 0.5);
    // bf16 slower than fp32 (a CPU without native bf16): fp32 is the reference; no int8 measurement → no int8 ratio
    const { onnx_int8_tiny_16_img_s: _, ...noInt8 } = ours;
    const fp32 = torchRatios([tiny], noInt8, { torch: '2.13.0', bf16: 'yes', tiny_16: 10, tiny_16_bf16: 8 });
    assert.equal(fp32.torch_best_tiny_16, '2.13.0 fp32');
    assert.equal(fp32.onnx_vs_torch_tiny_16, 3);
    assert.equal(fp32.torch_bf16_tiny_16_img_s, 8);
    assert.equal('onnx_int8_vs_torch_tiny_16' in fp32, false);
    assert.equal('tfjs_train_vs_torch_tiny_16' in fp32, false);
  });

  it('timeInterleaved alternates the contestants after one warm-up each', async () => {
    const calls: string[] = [];
    const secs = await timeInterleaved(2, [() => { calls.push('a'); }, () => { calls.push('b'); }]);
    assert.deepEqual(calls, ['a', 'b', 'a', 'b', 'a', 'b']);
    assert.equal(secs.length, 2);
    for (const s of secs) assert.ok(s > 0 && s < 1);
  });

  it('benchOnnx measures the int8 export beside fp32 only when asked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-bench-vit-test-'));
    const vit = new ViT(tiny.config, 0);
    try {
      const both = await benchOnnx(tiny, vit, dir, { int8: true });
      for (const v of [both.one, both.two, both.int8!]) assert.ok(Number.isFinite(v) && v > 0);
      const fp32 = await benchOnnx(tiny, vit, dir);
      assert.equal(fp32.int8, undefined);
      assert.deepEqual(fs.readdirSync(dir), []);
    } finally {
      vit.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
