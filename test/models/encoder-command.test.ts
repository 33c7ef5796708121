/** `raydino encoder embed|export|list` end to end on the PyTorch fixture. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encoderCommand } from '../../lib/cli/commands/encoder';
import { UsageError } from '../../lib/cli/args';
import { readNpy, writeNpy } from '../../lib/io/npy';
import { createOnnxEncoder } from '../../lib/features/onnx-encoder';
import { assertBelow, FIXTURES, reference, relErr, useBackend } from './helpers';

describe('raydino encoder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-enc-'));
  before(async () => { await useBackend(); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('embed writes cls.npy and patches.npy equal to PyTorch (dinov2 naming, registers, pos-embed interpolation)', async () => {
    const code = await encoderCommand.run(['embed', '--weights', path.join(FIXTURES, 'A_dinov2.safetensors'), '--format', 'dinov2',
      '--heads', '3', '--input', path.join(FIXTURES, 'A_x_70.npy'), '--out', dir, '--blocks', '0', '--batch', '1']);
    assert.equal(code, 0);
    const cls = readNpy(path.join(dir, 'cls.npy'));
    const patches = readNpy(path.join(dir, 'patches.npy'));
    assert.deepEqual(cls.shape, [2, 48]);
    assert.deepEqual(patches.shape, [2, 25, 48]);
    assertBelow(relErr(cls.data as Float32Array, reference('A/70x70/dinov2/cls').data), 1e-4, 'cls');
    assertBelow(relErr(patches.data as Float32Array, reference('A/70x70/dinov2/patches').data), 1e-4, 'patches');
    assertBelow(relErr(readNpy(path.join(dir, 'block0.npy')).data as Float32Array, reference('A/70x70/dinov2/block0').data), 1e-4, 'block0');
  });

  it('embed detects the HF naming with --format auto', async () => {
    const out = path.join(dir, 'hf');
    assert.equal(await encoderCommand.run(['embed', '--weights', path.join(FIXTURES, 'A_hf.safetensors'), '--heads', '3',
      '--input', path.join(FIXTURES, 'A_x_70.npy'), '--out', out]), 0);
    assertBelow(relErr(readNpy(path.join(out, 'cls.npy')).data as Float32Array, reference('A/70x70/hf/cls').data), 1e-4, 'cls');
  });

  it('--interpolation dinov2 makes HF weights resize position embeddings as dinov2 does', async () => {
    const out = path.join(dir, 'hf-dinov2');
    assert.equal(await encoderCommand.run(['embed', '--weights', path.join(FIXTURES, 'A_hf.safetensors'), '--heads', '3',
      '--interpolation', 'dinov2', '--input', path.join(FIXTURES, 'A_x_70.npy'), '--out', out]), 0);
    assertBelow(relErr(readNpy(path.join(out, 'cls.npy')).data as Float32Array, reference('A/70x70/dinov2/cls').data), 1e-4, 'cls');
    // and the two references differ, so this is not vacuous
    assert.ok(relErr(reference('A/70x70/hf/cls').data, reference('A/70x70/dinov2/cls').data) > 1e-3);
  });

  it('export writes an ONNX graph that reproduces PyTorch', async () => {
    const file = path.join(dir, 'a.onnx');
    assert.equal(await encoderCommand.run(['export', '--weights', path.join(FIXTURES, 'A_dinov2.safetensors'), '--heads', '3', '--out', file, '--size', '70']), 0);
    const enc = await createOnnxEncoder({ path: file, intraOpNumThreads: 1 });
    const out = await enc.embed(reference('A/70x70/x').data, 2);
    assertBelow(relErr(out.patches, reference('A/70x70/dinov2/patches').data), 1e-4, 'patches');
    await enc.dispose();
  });

  it('embed refuses a batch with NaN or Inf pixels, naming the file and sample', async () => {
    const x = readNpy(path.join(FIXTURES, 'A_x_70.npy'));
    const data = Float32Array.from(x.data as Float32Array);
    const per = data.length / x.shape[0];
    data[per + 5] = Infinity;
    const bad = path.join(dir, 'bad.npy');
    writeNpy(bad, { dtype: 'float32', shape: x.shape, data });
    await assert.rejects(encoderCommand.run(['embed', '--weights', path.join(FIXTURES, 'A_dinov2.safetensors'), '--format', 'dinov2',
      '--heads', '3', '--input', bad, '--out', path.join(dir, 'nan')]), (e: Error) => e.message.startsWith(`${bad}: sample 1: pixel value 5 is Infinity`));
    assert.equal(fs.existsSync(path.join(dir, 'nan', 'cls.npy')), false);
  });

  it('names bad flags and files', async () => {
    await assert.rejects(encoderCommand.run(['embed', '--weights', 'nope.safetensors', '--input', path.join(FIXTURES, 'A_x_70.npy'), '--out', dir]), /weights file not found: nope.safetensors/);
    await assert.rejects(encoderCommand.run(['embed', '--weights', path.join(FIXTURES, 'A_dinov2.safetensors'), '--format', 'tf', '--input', path.join(FIXTURES, 'A_x_70.npy'), '--out', dir]), /invalid --format: tf/);
    await assert.rejects(encoderCommand.run(['embed', '--input', 'x.npy', '--out', dir]), /missing --weights/);
    // dim 48 is not a multiple of 64: the head count must be given
    await assert.rejects(encoderCommand.run(['embed', '--weights', path.join(FIXTURES, 'A_dinov2.safetensors'), '--input', path.join(FIXTURES, 'A_x_70.npy'), '--out', dir]), /--heads/);
    await assert.rejects(encoderCommand.run(['frobnicate']), (e: Error) => e instanceof UsageError && /unknown sub-command 'frobnicate'/.test(e.message));
  });
});
