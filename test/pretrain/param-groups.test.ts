import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'assert';
import { AdamW, clipByGlobalNorm } from '../../lib/engine/adamw';
import { paramGroupFor } from '../../lib/pretrain/param-groups';
import { expectClose, expectNoLeak, torchFixture, useCpu } from './helpers';

describe('AdamW', () => {
  before(useCpu);

  it('matches torch.optim.AdamW over 3 steps with changing lr and weight decay (params and moments)', () => {
    const f = torchFixture.adamw;
    const p = tf.variable(tf.tensor1d(f.p0));
    const opt = new AdamW(new Map([['p', p]]));
    for (let s = 0; s < 3; s++) {
      const g = tf.tensor1d(f.grads[s]);
      opt.apply({ p: g }, () => f.lrs[s], () => f.wds[s]);
      g.dispose();
    }
    expectClose(p.dataSync(), f.p, 1e-6, 'p');
    const st = opt.state();
    expectClose(st.m.get('p')!, f.m, 1e-6, 'm');
    expectClose(st.v.get('p')!, f.v, 1e-6, 'v');
    assert.strictEqual(st.step, 3);
    opt.dispose();
    p.dispose();
  });

  it('restores its state exactly and does not leak', () => {
    const p = tf.variable(tf.tensor1d([1, 2]));
    const opt = new AdamW(new Map([['p', p]]));
    const g = tf.tensor1d([0.5, -1]);
    expectNoLeak(() => opt.apply({ p: g }, () => 0.1, () => 0.1));
    const saved = opt.state();
    const opt2 = new AdamW(new Map([['p', p]]));
    opt2.restore(saved);
    assert.deepStrictEqual(opt2.state(), saved);
    tf.dispose([g, p]);
    opt.dispose();
    opt2.dispose();
  });
});

describe('clipByGlobalNorm', () => {
  before(useCpu);

  it('scales to the max norm (hand-computed: [3, 4] has norm 5)', () => {
    const g = new Map([['a', tf.tensor1d([3])], ['b', tf.tensor1d([4])]]);
    const { grads, norm } = clipByGlobalNorm(g, 1);
    assert.strictEqual(norm, 5);
    expectClose([grads.get('a')!.dataSync()[0], grads.get('b')!.dataSync()[0]], [0.6, 0.8], 1e-6);
    const { grads: same } = clipByGlobalNorm(g, 10);
    expectClose(same.get('a')!.dataSync(), [3]);
    tf.dispose([...g.values(), ...grads.values(), ...same.values()]);
  });
});

describe('paramGroupFor', () => {
  it('exempts biases, norms, layer-scale, tokens and position embeddings from weight decay (dinov2)', () => {
    for (const n of ['blocks.0.attn.qkv.bias', 'blocks.1.norm1.weight', 'norm.weight', 'blocks.0.ls1.gamma', 'pos_embed', 'cls_token', 'mask_token', 'register_tokens']) {
      assert.strictEqual(paramGroupFor(n).wdMult, 0, n);
    }
    for (const n of ['blocks.0.attn.qkv.weight', 'patch_embed.proj.weight', 'dino_head.mlp.0.weight']) assert.strictEqual(paramGroupFor(n).wdMult, 1, n);
    assert.strictEqual(paramGroupFor('dino_head.last_layer.weight_v', 'dino_head.last_layer.weight_v').lrGroup, 'lastLayer');
  });
});
