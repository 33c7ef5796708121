/** The tfjs ViT: registry, shapes, memory, gradients (vs finite differences), drop-path seeding, clone/copy. */
import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'assert';
import { createRng } from '../../lib/engine/rng';
import { createViT, listModels, modelConfig } from '../../lib/models/registry';
import { cloneViT, copyWeights, ViT } from '../../lib/models/vit';
import { assertBelow, relErr, useBackend } from './helpers';

function disposeOut(o: ReturnType<ViT['forward']>): void {
  tf.dispose([o.cls, o.patches, ...(o.registers ? [o.registers] : []), ...(o.blocks ?? []), ...(o.attention ? [o.attention] : [])]);
}

/** A tiny model for gradient checks (float32 finite differences need few, well-scaled parameters). */
function tiny(overrides = {}): ViT {
  return new ViT({ imgSize: 16, patchSize: 4, inChans: 1, dim: 16, depth: 2, heads: 2, mlpHidden: 32, numRegisters: 1, layerScaleInit: 0.5, ...overrides }, 11);
}

describe('ViT', () => {
  before(async () => { await useBackend(); });

  it('every registered model builds and runs: shapes, no NaN', function () {
    this.timeout(300000);
    assert.deepEqual(listModels(), ['vit_nano', 'vit_micro', 'vit_tiny', 'vit_small', 'vit_base', 'vit_large']);
    for (const name of listModels()) {
      const full = modelConfig(name);
      // base/large: one block is enough to run the code path; the full configs are checked below.
      const vit = createViT(name, full.dim >= 768 ? { depth: 1 } : {}, 1);
      const S = full.patchSize * 4;
      const x = tf.randomNormal([2, full.inChans, S, S], 0, 1, 'float32', 5) as tf.Tensor4D;
      const o = vit.forward(x);
      assert.deepEqual(o.cls.shape, [2, full.dim], name);
      assert.deepEqual(o.patches.shape, [2, 16, full.dim], name);
      assert.ok(Array.from(o.cls.dataSync()).every(Number.isFinite), `${name}: NaN in cls`);
      disposeOut(o); x.dispose(); vit.dispose();
    }
    const dims = listModels().map((n) => { const c = modelConfig(n); return [c.dim, c.depth, c.heads, c.patchSize]; });
    assert.deepEqual(dims.slice(2), [[192, 12, 3, 16], [384, 12, 6, 16], [768, 12, 12, 16], [1024, 24, 16, 16]]);
    assert.throws(() => createViT('vit_huge'), /unknown model vit_huge \(registered: vit_nano/);
    assert.throws(() => createViT('vit_nano', { heads: 5 }), /dim 96 is not divisible by heads 5/);
  });

  it('forward does not leak (with registers, blocks, attention, masks)', () => {
    const vit = tiny();
    const x = tf.randomNormal([3, 1, 16, 20]) as tf.Tensor4D;
    const masks = tf.tensor2d(Array.from({ length: 3 * 20 }, (_, i) => i % 3 === 0 ? 1 : 0), [3, 20]);
    disposeOut(vit.forward(x)); // warm the interpolation cache
    const before = tf.memory().numTensors;
    const o = vit.forward(x, { masks, returnBlocks: [0, -1], returnAttention: true });
    assert.deepEqual(o.registers!.shape, [3, 1, 16]);
    assert.deepEqual(o.blocks!.map((b) => b.shape), [[3, 20, 16], [3, 20, 16]]);
    assert.deepEqual(o.attention!.shape, [3, 2, 20]);
    disposeOut(o);
    assert.equal(tf.memory().numTensors, before);
    const n0 = tf.memory().numTensors;
    vit.dispose();
    assert.ok(tf.memory().numTensors < n0);
    x.dispose(); masks.dispose();
  });

  it('the last block output returned via returnBlocks equals the final patches', () => {
    const vit = tiny();
    const x = tf.randomNormal([2, 1, 16, 16]) as tf.Tensor4D;
    const o = vit.forward(x, { returnBlocks: [-1], returnAttention: true });
    assertBelow(relErr(o.blocks![0].dataSync(), o.patches.dataSync()), 1e-7);
    // CLS attention over patches sums to 1 − (attention on CLS + registers) ≤ 1
    const a = Array.from(o.attention!.dataSync());
    for (let i = 0; i < 4; i++) { const s = a.slice(i * 16, (i + 1) * 16).reduce((p, q) => p + q, 0); assert.ok(s > 0 && s <= 1 + 1e-6); }
    disposeOut(o); x.dispose(); vit.dispose();
  });

  it('gradients (custom 2-D matmul / LayerNorm / GELU / attention) match finite differences', () => {
    const vit = tiny({ dropPathRate: 0 });
    // Tokens at their init (1e-6, 0) sit where LayerNorm is most curved: give them unit scale so that finite
    // differences with eps 1e-2 (float32) are accurate.
    for (const [i, k] of ['cls_token', 'register_tokens', 'mask_token'].entries()) {
      const v = vit.params.get(k)!;
      v.assign(tf.randomNormal(v.shape, 0, 1, 'float32', 20 + i));
    }
    // 16×20 input: a 4×5 grid, so the pos-embed interpolation matmul is on the gradient path too
    const x = tf.randomNormal([2, 1, 16, 20], 0, 1, 'float32', 9) as tf.Tensor4D;
    const masks = tf.tensor2d(Array.from({ length: 40 }, (_, i) => (i % 7 === 2 ? 1 : 0)), [2, 20]);
    const r1 = tf.randomNormal([2, 16], 0, 1, 'float32', 1), r2 = tf.randomNormal([2, 20, 16], 0, 1, 'float32', 2);
    const loss = () => tf.tidy(() => {
      const o = vit.forward(x, { training: true, masks });
      return tf.add(tf.sum(tf.mul(o.cls, r1)), tf.sum(tf.mul(o.patches, r2))) as tf.Scalar;
    });
    const { grads } = tf.variableGrads(loss, vit.trainableVariables);
    assert.equal(Object.keys(grads).length, vit.trainableVariables.length);
    const rng = createRng(4);
    // Directional derivative along a random direction, per parameter tensor: (L(θ+εv) − L(θ−εv)) / 2ε vs ⟨∇L, v⟩.
    for (const key of ['patch_embed.proj.weight', 'pos_embed', 'cls_token', 'mask_token', 'register_tokens', 'blocks.0.attn.qkv.weight',
      'blocks.0.attn.proj.bias', 'blocks.1.norm1.weight', 'blocks.1.mlp.fc1.weight', 'blocks.1.ls2.gamma', 'norm.bias']) {
      const v = vit.params.get(key)!;
      const g = Array.from(grads[v.name].dataSync());
      const dir = Float32Array.from({ length: v.size }, () => rng.normal());
      const analytic = g.reduce((s, gi, i) => s + gi * dir[i], 0);
      const orig = v.dataSync().slice();
      const eps = 1e-2;
      const at = (sign: number) => {
        v.assign(tf.tensor(orig.map((o, i) => o + sign * eps * dir[i]), v.shape));
        const l = loss(); const val = l.dataSync()[0]; l.dispose(); return val;
      };
      const numeric = (at(1) - at(-1)) / (2 * eps);
      v.assign(tf.tensor(orig, v.shape));
      assert.ok(Math.abs(numeric - analytic) <= 2e-2 * Math.max(1, Math.abs(analytic)), `${key}: numeric ${numeric} vs analytic ${analytic}`);
    }
    tf.dispose(grads); tf.dispose([x, masks, r1, r2]); vit.dispose();
  });

  it('a training step (forward + backward + Adam) does not leak', () => {
    const vit = tiny({ dropPathRate: 0.2 });
    const x = tf.randomNormal([4, 1, 16, 16]) as tf.Tensor4D;
    const opt = tf.train.adam(1e-3);
    const rng = createRng(1);
    const step = () => {
      const cost = opt.minimize(() => {
        const o = vit.forward(x, { training: true, rng });
        return tf.mean(tf.square(o.cls)) as tf.Scalar;
      }, true, vit.trainableVariables)!;
      cost.dispose();
    };
    step(); // creates Adam's state
    const before = tf.memory().numTensors;
    step(); step();
    assert.equal(tf.memory().numTensors, before);
    opt.dispose(); x.dispose(); vit.dispose();
  });

  it('drop-path is seeded: same rng seed → same output, another seed → different; inactive at inference', () => {
    const vit = tiny({ dropPathRate: 0.5 });
    const x = tf.randomNormal([8, 1, 16, 16], 0, 1, 'float32', 3) as tf.Tensor4D;
    const run = (opts: Parameters<ViT['forward']>[1]) => { const o = vit.forward(x, opts); const d = o.cls.dataSync().slice(); disposeOut(o); return d; };
    const a = run({ training: true, rng: createRng(5) });
    const b = run({ training: true, rng: createRng(5) });
    const c = run({ training: true, rng: createRng(6) });
    assert.deepEqual(Array.from(a), Array.from(b));
    assert.notDeepEqual(Array.from(a), Array.from(c));
    assert.deepEqual(Array.from(run({})), Array.from(run({ training: false, rng: createRng(5) })));
    assert.throws(() => vit.forward(x, { training: true }), /needs opts\.rng/);
    x.dispose(); vit.dispose();
  });

  it('a grey image on a 3-channel model equals the image replicated to RGB', () => {
    const vit = new ViT({ imgSize: 16, patchSize: 4, inChans: 3, dim: 16, depth: 1, heads: 2, mlpHidden: 32 }, 2);
    const g = tf.randomNormal([2, 1, 16, 16]) as tf.Tensor4D;
    const rgb = tf.concat([g, g, g], 1) as tf.Tensor4D;
    const a = vit.forward(g), b = vit.forward(rgb);
    assertBelow(relErr(a.patches.dataSync(), b.patches.dataSync()), 1e-5);
    disposeOut(a); disposeOut(b); tf.dispose([g, rgb]);
    assert.throws(() => vit.forward(tf.zeros([1, 2, 16, 16]) as tf.Tensor4D), /input has 2 channels, the model expects 3/);
    assert.throws(() => vit.forward(tf.zeros([1, 3, 15, 16]) as tf.Tensor4D), /not a multiple of the patch size 4/);
    vit.dispose();
  });

  it('cloneViT copies values into fresh variables; copyWeights syncs them', () => {
    const a = tiny();
    const b = cloneViT(a);
    assert.notEqual(a.trainableVariables[0], b.trainableVariables[0]);
    assert.notEqual(a.trainableVariables[0].name, b.trainableVariables[0].name);
    assert.deepEqual(b.variableKeys, a.variableKeys);
    const x = tf.randomNormal([1, 1, 16, 16]) as tf.Tensor4D;
    const cls = (v: ViT) => { const o = v.forward(x); const d = Array.from(o.cls.dataSync()); disposeOut(o); return d; };
    assert.deepEqual(cls(b), cls(a));
    const c = tiny({}); // same config
    a.params.get('norm.bias')!.assign(tf.onesLike(a.params.get('norm.bias')!));
    assert.notDeepEqual(cls(b), cls(a));
    copyWeights(a, b);
    copyWeights(a, c);
    assert.deepEqual(cls(b), cls(a));
    assert.deepEqual(cls(c), cls(a));
    assert.throws(() => copyWeights(a, createViT('vit_nano')), /copyWeights/);
    [a, b, c].forEach((v) => v.dispose()); x.dispose();
  });
});
