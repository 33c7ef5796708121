/** Checkpoint round trips, dinov2 training-checkpoint layouts, and import errors. */
import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { NdArray } from '../../lib/io/dtype';
import { readSafetensors } from '../../lib/io/safetensors';
import { createViT } from '../../lib/models/registry';
import { loadViT, saveViT, stateDict, vitFromStateDict } from '../../lib/models/weights';
import { assertBelow, FIXTURES, reference, relErr, useBackend } from './helpers';

function clsOf(vit: ReturnType<typeof createViT>, x: tf.Tensor4D): Float32Array {
  const o = vit.forward(x);
  const d = o.cls.dataSync() as Float32Array;
  tf.dispose([o.cls, o.patches, ...(o.registers ? [o.registers] : [])]);
  return d;
}

describe('ViT weights', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-w-'));
  before(async () => { await useBackend(); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saveViT / loadViT round-trips exactly in float32 and to ~1e-3 in float16, config included', () => {
    const vit = createViT('vit_nano', { numRegisters: 2, name: 'mine' }, 7);
    const x = tf.randomNormal([2, 1, 64, 64], 0, 1, 'float32', 3) as tf.Tensor4D;
    const want = clsOf(vit, x);
    const f32 = path.join(dir, 'ck.safetensors');
    saveViT(vit, f32);
    const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'ck.json'), 'utf8'));
    assert.equal(cfg.name, 'mine');
    const back = loadViT(f32);
    assert.deepEqual(back.config, vit.config);
    assert.deepEqual(Array.from(clsOf(back, x)), Array.from(want));
    const f16 = path.join(dir, 'ck16.safetensors');
    saveViT(vit, f16, { float16: true });
    assert.ok(fs.statSync(f16).size < fs.statSync(f32).size * 0.6);
    assertBelow(relErr(clsOf(loadViT(f16), x), want), 5e-3, 'float16 cls');
    // stored in PyTorch layout under dinov2 names: loadable as a plain dinov2 state dict too
    const st = readSafetensors(f32);
    assert.deepEqual(st.tensors.get('patch_embed.proj.weight')!.shape, [96, 1, 8, 8]);
    assert.deepEqual(st.tensors.get('blocks.0.mlp.fc1.weight')!.shape, [384, 96]);
    const asDinov2 = loadViT(f32, { format: 'dinov2', heads: 3 });
    assert.equal(asDinov2.config.numRegisters, 2);
    assert.deepEqual(Array.from(clsOf(asDinov2, x)), Array.from(want));
    [vit, back, asDinov2].forEach((v) => v.dispose());
    x.dispose();
  });

  it('imports teacher checkpoints (teacher.backbone. prefix, chunked blocks.C.N layout, heads ignored)', () => {
    const st = readSafetensors(path.join(FIXTURES, 'A_dinov2.safetensors')).tensors;
    const ckpt = new Map<string, NdArray>();
    for (const [k, v] of st) {
      const chunked = k.replace(/^blocks\.(\d+)\./, (_, n) => `blocks.${Number(n) < 1 ? 0 : 1}.${n}.`);
      ckpt.set(`teacher.backbone.${chunked}`, v);
      ckpt.set(`student.backbone.${k}`, { ...v, data: new Float32Array(v.data.length) });
    }
    ckpt.set('teacher.dino_head.mlp.0.weight', { dtype: 'float32', shape: [2, 2], data: new Float32Array(4) });
    const vit = vitFromStateDict(ckpt, { heads: 3 });
    const x = reference('A/70x70/x');
    const xt = tf.tensor4d(x.data, x.shape as [number, number, number, number]);
    assertBelow(relErr(clsOf(vit, xt), reference('A/70x70/dinov2/cls').data), 1e-4, 'cls');
    xt.dispose();
    vit.dispose();
  });

  it('reads the architecture from shapes (dim, depth, patch, registers, FFN, LayerScale)', () => {
    const a = loadViT(path.join(FIXTURES, 'A_dinov2.safetensors'), { heads: 3 });
    assert.deepEqual([a.config.dim, a.config.depth, a.config.patchSize, a.config.numRegisters, a.config.mlpHidden, a.config.imgSize, a.config.heads],
      [48, 2, 14, 4, 96, 56, 3]);
    assert.equal(a.config.posInterpolation, 'dinov2');
    const b = loadViT(path.join(FIXTURES, 'B_dinov2.safetensors'), { heads: 4 });
    assert.equal(b.config.layerScaleInit, null);
    assert.equal(b.config.numRegisters, 0);
    const bh = loadViT(path.join(FIXTURES, 'B_hf.safetensors'), { heads: 4 });
    assert.equal(bh.config.posInterpolation, 'hf');
    [a, b, bh].forEach((v) => v.dispose());
  });

  it('lists every unknown, missing and mis-shaped key in one error', () => {
    const st = new Map(readSafetensors(path.join(FIXTURES, 'A_dinov2.safetensors')).tensors);
    st.delete('blocks.1.norm2.bias');
    st.delete('norm.weight');
    st.set('blocks.0.attn.extra', { dtype: 'float32', shape: [1], data: new Float32Array(1) });
    st.set('blocks.1.mlp.fc2.bias', { dtype: 'float32', shape: [47], data: new Float32Array(47) });
    assert.throws(() => vitFromStateDict(st, { heads: 3, where: 'bad.safetensors' }), (e: Error) => {
      assert.match(e.message, /^bad\.safetensors: weights do not match/);
      assert.match(e.message, /missing keys: blocks\.1\.norm2\.bias, norm\.weight/);
      assert.match(e.message, /unknown keys: blocks\.0\.attn\.extra/);
      assert.match(e.message, /mis-shaped keys: blocks\.1\.mlp\.fc2\.bias \[47\] \(expected \[48\]\)/);
      return true;
    });
    const hf = new Map(readSafetensors(path.join(FIXTURES, 'A_hf.safetensors')).tensors);
    hf.delete('encoder.layer.0.attention.attention.key.weight');
    assert.throws(() => vitFromStateDict(hf, { heads: 3, where: 'hf' }), /blocks\.0\.attn\.qkv\.weight needs query, key and value; missing key/);
  });

  it('stateDict is the PyTorch layout of the parameters', () => {
    const vit = createViT('vit_nano', {}, 1);
    const sd = stateDict(vit);
    const w = vit.params.get('blocks.0.attn.qkv.weight')!.dataSync();
    const t = sd.get('blocks.0.attn.qkv.weight')!;
    assert.deepEqual(t.shape, [288, 96]);
    assert.equal(t.data[5 * 96 + 7], w[7 * 288 + 5]); // torch[out=5][in=7] = ours[in=7][out=5]
    vit.dispose();
  });
});
