/**
 * CLS / patch tokens equal PyTorch's (scripts/torch-vit-reference.py) to 1e-4 relative, for a patch-14 model with
 * registers and a patch-16 model without, at two input sizes each, loaded through dinov2 and HF namings.
 */
import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'assert';
import * as path from 'path';
import { loadViT } from '../../lib/models/weights';
import { assertBelow, FIXTURES, reference, relErr, useBackend } from './helpers';

const MODELS = [
  { name: 'A', heads: 3, sizes: ['70x70', '42x56'], registers: 4 },
  { name: 'B', heads: 4, sizes: ['80x80', '48x96'], registers: 0 },
];

describe('ViT equals PyTorch', () => {
  before(async () => { await useBackend(); });

  for (const m of MODELS) {
    for (const format of ['dinov2', 'hf'] as const) {
      for (const size of m.sizes) {
        it(`model ${m.name} (${format} naming) at ${size}`, () => {
          const vit = loadViT(path.join(FIXTURES, `${m.name}_${format}.safetensors`), { format, heads: m.heads });
          assert.equal(vit.config.numRegisters, m.registers);
          const x = reference(`${m.name}/${size}/x`);
          const xt = tf.tensor4d(x.data, x.shape as [number, number, number, number]);
          const first = size === m.sizes[0];
          const out = vit.forward(xt, { returnBlocks: first ? [0] : [], returnAttention: first });
          const cls = reference(`${m.name}/${size}/${format}/cls`);
          const patches = reference(`${m.name}/${size}/${format}/patches`);
          assert.deepEqual(out.cls.shape, cls.shape);
          assert.deepEqual(out.patches.shape, patches.shape);
          assertBelow(relErr(out.cls.dataSync(), cls.data), 1e-4);
          assertBelow(relErr(out.patches.dataSync(), patches.data), 1e-4);
          if (first) {
            assertBelow(relErr(out.blocks![0].dataSync(), reference(`${m.name}/${size}/${format}/block0`).data), 1e-4);
            assertBelow(relErr(out.attention!.dataSync(), reference(`${m.name}/${size}/${format}/attention`).data), 1e-4);
          }
          tf.dispose([xt, out.cls, out.patches, ...(out.blocks ?? []), ...(out.attention ? [out.attention] : []), ...(out.registers ? [out.registers] : [])]);
          vit.dispose();
        });
      }
    }
  }

  it('masked patches use mask_token as dinov2 prepare_tokens_with_masks', () => {
    const vit = loadViT(path.join(FIXTURES, 'A_dinov2.safetensors'), { heads: 3 });
    const x = reference('A/42x56/x');
    const masks = reference('A/42x56/masks');
    const xt = tf.tensor4d(x.data, x.shape as [number, number, number, number]);
    const mt = tf.tensor2d(masks.data, masks.shape as [number, number]);
    const out = vit.forward(xt, { masks: mt });
    assertBelow(relErr(out.cls.dataSync(), reference('A/42x56/dinov2_masked/cls').data), 1e-4);
    assertBelow(relErr(out.patches.dataSync(), reference('A/42x56/dinov2_masked/patches').data), 1e-4);
    // and the mask changed something
    assert.ok(relErr(out.cls.dataSync(), reference('A/42x56/dinov2/cls').data) > 1e-3);
    tf.dispose([xt, mt, out.cls, out.patches, out.registers!]);
    vit.dispose();
  });
});
