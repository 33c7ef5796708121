/** Bicubic pos-embed resampling matrices (torch F.interpolate semantics); end-to-end equality is in torch-equality. */
import { strict as assert } from 'assert';
import { bicubicMatrix1d, interpolatePosEmbed, interpolationStep, posEmbedInterpolationMatrix } from '../../lib/models/pos-embed-interpolate';

describe('posEmbedInterpolationMatrix', () => {
  it('is null (no interpolation) for the learned square grid, as dinov2 and HF skip it', () => {
    assert.equal(posEmbedInterpolationMatrix(4, 4, 4, 'dinov2'), null);
    assert.notEqual(posEmbedInterpolationMatrix(4, 4, 5, 'dinov2'), null);
  });

  it('rows sum to 1 (cubic convolution weights with border clamping)', () => {
    for (const mode of ['dinov2', 'hf'] as const) {
      const k = posEmbedInterpolationMatrix(4, 3, 7, mode)!;
      for (let r = 0; r < 21; r++) {
        const s = k.slice(r * 16, (r + 1) * 16).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(s - 1) < 1e-6, `${mode} row ${r}: ${s}`);
      }
    }
  });

  it('the dinov2 offset changes the step: M/(g+0.1) vs HF M/g', () => {
    assert.equal(interpolationStep('hf', 4, 8, 0.1), 0.5);
    assert.ok(Math.abs(interpolationStep('dinov2', 4, 8, 0.1) - 4 / 8.1) < 1e-12);
    // with the offset, even the same size is a (slight) resampling in dinov2
    const m = bicubicMatrix1d(4, 4, interpolationStep('dinov2', 4, 4, 0.1));
    assert.ok(Math.abs(m[0] - 1) > 1e-4);
    const id = bicubicMatrix1d(4, 4, 1);
    assert.deepEqual(Array.from(id), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('upsampling 2→4 (align_corners=False, A=-0.75) gives torch\'s values', () => {
    // torch.nn.functional.interpolate(torch.tensor([[[[0., 1.]]]]), size=(1, 4), mode='bicubic') → [-0.1055, 0.2266, 0.7734, 1.1055]
    const m = bicubicMatrix1d(2, 4, 0.5);
    const out = [0, 1, 2, 3].map((o) => m[o * 2 + 1]);
    [-0.10546875, 0.2265625, 0.7734375, 1.10546875].forEach((v, i) => assert.ok(Math.abs(out[i] - v) < 1e-7, `${i}: ${out[i]}`));
  });

  it('interpolatePosEmbed applies the matrix per channel', () => {
    const p = Float32Array.from({ length: 4 * 2 }, (_, i) => (i % 2 === 0 ? 1 : i)); // channel 0 constant
    const out = interpolatePosEmbed(p, 2, 2, 3, 3, 'hf');
    for (let r = 0; r < 9; r++) assert.ok(Math.abs(out[r * 2] - 1) < 1e-6);
  });
});
