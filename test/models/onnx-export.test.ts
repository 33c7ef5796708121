/** The exported ONNX graph, run by ONNX Runtime through the OnnxEncoder, equals the tfjs model to 1e-4 relative. */
import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createOnnxEncoder } from '../../lib/features/onnx-encoder';
import { createTfjsEncoder } from '../../lib/features/tfjs-encoder';
import { exportViTToOnnx, readOnnxMetadata } from '../../lib/models/onnx-export';
import { createViT } from '../../lib/models/registry';
import { loadViT } from '../../lib/models/weights';
import { assertBelow, FIXTURES, reference, relErr, useBackend } from './helpers';

describe('exportViTToOnnx + createOnnxEncoder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-onnx-'));
  before(async () => { await useBackend(); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cases = [
    { model: 'A', format: 'dinov2' as const, heads: 3, h: 42, w: 56 },
    { model: 'B', format: 'hf' as const, heads: 4, h: 48, w: 96 },
  ];
  for (const k of cases) {
    it(`model ${k.model} (${k.format}) at ${k.h}x${k.w}: cls, patches, block 0 and attention equal tfjs and PyTorch`, async () => {
      const vit = loadViT(path.join(FIXTURES, `${k.model}_${k.format}.safetensors`), { format: k.format, heads: k.heads });
      const file = path.join(dir, `${k.model}.onnx`);
      fs.writeFileSync(file, exportViTToOnnx(vit, { height: k.h, width: k.w, blocks: [0], attention: true }));
      const enc = await createOnnxEncoder({ path: file, intraOpNumThreads: 1 });
      assert.equal(enc.patchSize, vit.config.patchSize);
      assert.equal(enc.dim, vit.config.dim);
      const x = reference(`${k.model}/${k.h}x${k.w}/x`);
      const out = await enc.embed(x.data, 2, { blocks: [0], attention: true });
      const xt = tf.tensor4d(x.data, x.shape as [number, number, number, number]);
      const ref = vit.forward(xt, { returnBlocks: [0], returnAttention: true });
      assertBelow(relErr(out.cls, ref.cls.dataSync()), 1e-4, 'cls');
      assertBelow(relErr(out.patches, ref.patches.dataSync()), 1e-4, 'patches');
      assertBelow(relErr(out.blocks!.get(0)!, ref.blocks![0].dataSync()), 1e-4, 'block0');
      assertBelow(relErr(out.attention!, ref.attention!.dataSync()), 1e-4, 'attention');
      assertBelow(relErr(out.cls, reference(`${k.model}/${k.h}x${k.w}/${k.format}/cls`).data), 1e-4, 'cls vs PyTorch');
      assert.equal(out.gridH * out.gridW * out.dim * 2, out.patches.length);
      tf.dispose([xt, ref.cls, ref.patches, ...ref.blocks!, ref.attention!, ...(ref.registers ? [ref.registers] : [])]);
      await enc.dispose();
      vit.dispose();
    });
  }

  it('ViT-S/16 (random init, 4 registers) at 112 px (pos-embed 14×14 → 7×7): ONNX equals tfjs', async function () {
    this.timeout(120000);
    const vit = createViT('vit_small', { numRegisters: 4, layerScaleInit: 0.3 }, 5);
    const file = path.join(dir, 'vits.onnx');
    fs.writeFileSync(file, exportViTToOnnx(vit, { height: 112, width: 112, channels: 1 }));
    const enc = await createOnnxEncoder({ path: file, intraOpNumThreads: 2 });
    assert.equal(enc.channels, 1);
    const tfe = createTfjsEncoder(vit, { inputSize: 112, channels: 1, ownsModel: false });
    const px = Float32Array.from({ length: 2 * 112 * 112 }, (_, i) => Math.sin(i * 0.013) + Math.cos(i * 0.0007));
    const a = await enc.embed(px, 2), b = await tfe.embed(px, 2);
    assertBelow(relErr(a.cls, b.cls), 1e-4, 'cls');
    assertBelow(relErr(a.patches, b.patches), 1e-4, 'patches');
    await enc.dispose();
    vit.dispose();
  });

  it('exports dynamic batch, opset 17, and the encoder description in metadata', async () => {
    const vit = createViT('vit_nano', {}, 1);
    const bytes = exportViTToOnnx(vit, { height: 64, width: 64 });
    const meta = JSON.parse(readOnnxMetadata(bytes).raydino);
    assert.equal(meta.channels, 1);
    assert.deepEqual([meta.height, meta.width, meta.patchSize, meta.dim], [64, 64, 8, 96]);
    const file = path.join(dir, 'nano.onnx');
    fs.writeFileSync(file, bytes);
    const enc = await createOnnxEncoder({ path: file, intraOpNumThreads: 1 });
    const tfe = createTfjsEncoder(vit, { ownsModel: false });
    for (const batch of [1, 3]) {
      const px = Float32Array.from({ length: batch * 64 * 64 }, (_, i) => Math.sin(i * 0.37));
      const a = await enc.embed(px, batch);
      const b = await tfe.embed(px, batch);
      assert.equal(a.cls.length, batch * 96);
      assertBelow(relErr(a.cls, b.cls), 1e-4, `cls batch ${batch}`);
      assertBelow(relErr(a.patches, b.patches), 1e-4, `patches batch ${batch}`);
    }
    await assert.rejects(enc.embed(new Float32Array(10), 1), /embed got 10 values/);
    await enc.dispose();
    vit.dispose();
  });

  it('runs a user .onnx (no raydino metadata) with declared input size / stats and outputs', async () => {
    const vit = loadViT(path.join(FIXTURES, 'A_dinov2.safetensors'), { heads: 3 });
    const file = path.join(dir, 'user.onnx');
    fs.writeFileSync(file, exportViTToOnnx(vit, { height: 70, width: 70, tokens: true, describe: false }));
    assert.equal(readOnnxMetadata(fs.readFileSync(file)).raydino, undefined);
    await assert.rejects(createOnnxEncoder({ path: file }), /patchSize is not in the model's metadata: declare it/);
    const declared = { path: file, inputSize: 70, patchSize: 14, channels: 3 as const, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], intraOpNumThreads: 1 };
    // a transformers-style single output with all tokens: CLS, 4 registers, 25 patches
    const enc = await createOnnxEncoder({ ...declared, tokensOutput: 'last_hidden_state', numRegisters: 4, name: 'user' });
    assert.deepEqual(enc.mean, [0.5, 0.5, 0.5]);
    const x = reference('A/70x70/x');
    const out = await enc.embed(x.data, 2);
    assert.equal(out.dim, 48);
    assertBelow(relErr(out.cls, reference('A/70x70/dinov2/cls').data), 1e-4, 'cls vs PyTorch');
    assertBelow(relErr(out.patches, reference('A/70x70/dinov2/patches').data), 1e-4, 'patches vs PyTorch');
    await enc.dispose();
    // separate outputs, named by the caller
    const enc2 = await createOnnxEncoder({ ...declared, clsOutput: 'cls', patchesOutput: 'patches' });
    assertBelow(relErr((await enc2.embed(x.data, 2)).patches, reference('A/70x70/dinov2/patches').data), 1e-4, 'patches');
    await enc2.dispose();
    await assert.rejects(createOnnxEncoder({ ...declared, clsOutput: 'nope' }), /no output named nope/);
    await assert.rejects(createOnnxEncoder({ ...declared, tokensOutput: 'last_hidden_state', numRegisters: 0 }).then((e) => e.embed(x.data, 2)), /has 30 tokens, expected 1 \+ 0 \+ 25/);
    vit.dispose();
  });
});
