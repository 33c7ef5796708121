import { strict as assert } from 'assert';
import { engineBenchFigure } from '../../lib/plots/engine-bench-figure';
import { specToSvg } from '../../lib/report/vega-render';
import { validateVegaLite } from '../report/helpers';

describe('engineBenchFigure', () => {
  const matmul = [{ size: 512, gflops: 41.2, backend: 'wasm' }, { size: 1024, gflops: 30 }];
  const scaling = [{ workers: 1, seconds: 2, speedup: 1 }, { workers: 2, seconds: 1.1, speedup: 2 / 1.1 }];

  it('is valid vega-lite, labels speedups and renders', async () => {
    const spec = engineBenchFigure(matmul, scaling);
    validateVegaLite(spec);
    const right = (spec as { hconcat: { data: { values: { label: string }[] } }[] }).hconcat[1];
    assert.deepEqual(right.data.values.map((v) => v.label), ['1.00×', '1.82×']);
    const svg = await specToSvg(spec);
    assert.ok(svg.includes('wasm matmul'));
    assert.ok(svg.includes('1.82×'));
  });

  it('rejects empty and non-positive input, naming it', () => {
    assert.throws(() => engineBenchFigure([], scaling), /no matmul rows/);
    assert.throws(() => engineBenchFigure(matmul, [{ workers: 1, seconds: 0, speedup: 1 }]), /invalid scaling\[0\]\.seconds: 0/);
    assert.throws(() => engineBenchFigure(matmul, scaling, { width: -1 }), /invalid width: -1/);
  });
});
