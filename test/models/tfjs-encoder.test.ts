/** createTfjsEncoder: the Encoder contract over our ViT (PyTorch-equal outputs, chunked batches, no leaks). */
import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'assert';
import * as path from 'path';
import { createTfjsEncoder } from '../../lib/features/tfjs-encoder';
import { loadViT } from '../../lib/models/weights';
import { assertBelow, FIXTURES, reference, relErr, useBackend } from './helpers';

describe('createTfjsEncoder', () => {
  before(async () => { await useBackend(); });

  it('embeds in chunks of maxBatch with outputs equal to PyTorch, blocks and attention included, without leaking', async () => {
    const vit = loadViT(path.join(FIXTURES, 'B_hf.safetensors'), { heads: 4 });
    const enc = createTfjsEncoder(vit, { inputSize: 80, maxBatch: 1 });
    assert.equal(enc.dim, 32);
    assert.equal(enc.patchSize, 16);
    assert.match(enc.id, /^[0-9a-f]{64}$/);
    const x = reference('B/80x80/x');
    await enc.embed(x.data, 2); // caches the 4×4 → 5×5 pos-embed interpolation matrices (owned by the ViT)
    const before = tf.memory().numTensors;
    const out = await enc.embed(x.data, 2, { blocks: [0], attention: true });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual([out.gridH, out.gridW, out.batch], [5, 5, 2]);
    assertBelow(relErr(out.cls, reference('B/80x80/hf/cls').data), 1e-4, 'cls');
    assertBelow(relErr(out.patches, reference('B/80x80/hf/patches').data), 1e-4, 'patches');
    assertBelow(relErr(out.blocks!.get(0)!, reference('B/80x80/hf/block0').data), 1e-4, 'block0');
    assertBelow(relErr(out.attention!, reference('B/80x80/hf/attention').data), 1e-4, 'attention');
    await assert.rejects(enc.embed(new Float32Array(3), 1), /embed got 3 values/);
    enc.dispose();
  });
});
