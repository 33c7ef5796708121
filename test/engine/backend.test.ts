import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { backendFromEnv, backendOrder, BackendLoader, defaultLoaders, describeBackend, initBackend } from '../../lib/engine/backend';

const boom = (msg: string): BackendLoader => async () => { throw new Error(msg); };

describe('backendOrder', () => {
  it('is tensorflow, wasm, cpu by default', () => assert.deepEqual(backendOrder({}), ['tensorflow', 'wasm', 'cpu']));
  it('puts a preferred backend first', () => assert.deepEqual(backendOrder({ prefer: 'cpu' }), ['cpu', 'tensorflow', 'wasm']));
  it('tries only a forced backend', () => assert.deepEqual(backendOrder({ forced: 'wasm', prefer: 'cpu' }), ['wasm']));
});

describe('backendFromEnv', () => {
  it('reads RAYDINO_BACKEND', () => assert.equal(backendFromEnv({ RAYDINO_BACKEND: 'cpu' }), 'cpu'));
  it('is undefined when unset', () => assert.equal(backendFromEnv({}), undefined));
  it('names the variable on a bad value', () => assert.throws(() => backendFromEnv({ RAYDINO_BACKEND: 'gpu' }), /invalid RAYDINO_BACKEND: gpu/));
});

describe('initBackend', () => {
  let previous: string;
  before(async () => { await initBackend(); previous = tf.getBackend(); });
  afterEach(async () => { await tf.setBackend(previous); });

  it('falls back to wasm when the tensorflow loader throws, recording why', async () => {
    const info = await initBackend({ loaders: { tensorflow: boom('libtensorflow.so: cannot open shared object file') }, env: {} });
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(info.simd, true);
    assert.deepEqual(info.tried.map((t) => [t.name, t.ok]), [['tensorflow', false], ['wasm', true]]);
    assert.match(info.tried[0].reason!, /libtensorflow\.so/);
    assert.match(describeBackend(info), /^wasm \(SIMD, 1 thread, tensorflow skipped\)$/);
  });

  it('falls back to cpu when tensorflow and wasm both fail', async () => {
    const info = await initBackend({ loaders: { tensorflow: boom('no native'), wasm: boom('no wasm') }, env: {} });
    assert.equal(info.name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.deepEqual(info.tried.map((t) => t.ok), [false, false, true]);
    assert.equal(info.tried[1].reason, 'no wasm');
  });

  it('honours RAYDINO_BACKEND over prefer', async () => {
    const info = await initBackend({ prefer: 'wasm', loaders: { tensorflow: boom('x') }, env: { RAYDINO_BACKEND: 'cpu' } });
    assert.equal(info.name, 'cpu');
    assert.equal(info.source, 'env');
    assert.equal(info.tried.length, 1);
  });

  it('fails clearly when a forced backend is unavailable', async () => {
    await assert.rejects(initBackend({ loaders: { tensorflow: boom('not installed') }, env: { RAYDINO_BACKEND: 'tensorflow' } }),
      /RAYDINO_BACKEND=tensorflow is not available \(tensorflow: not installed\)/);
  });

  it('real default: tfjs-node absent here falls through to wasm, and is idempotent', async function () {
    let tfNode = true;
    try { require.resolve('@tensorflow/tfjs-node'); } catch { tfNode = false; }
    if (tfNode || process.env.RAYDINO_BACKEND) this.skip();
    const a = await initBackend();
    const b = await initBackend({ prefer: 'cpu' });
    assert.equal(a, b);
    assert.equal(a.name, 'wasm');
    assert.equal(a.tried[0].name, 'tensorflow');
    assert.match(a.tried[0].reason!, /Cannot find module '@tensorflow\/tfjs-node-gpu'.*Cannot find module '@tensorflow\/tfjs-node'/);
    await assert.rejects(defaultLoaders.tensorflow(), /tfjs-node/);
  });
});
