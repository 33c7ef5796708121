import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../../../lib/engine/backend';
import { createRng } from '../../../lib/engine/rng';
import { AvgFamily } from '../../../lib/adapters/grid/avg-family';
import { AttentiveFamily } from '../../../lib/adapters/grid/attentive-family';
import { avgPoolFeatures } from '../../../lib/features/pooling';
import { cosineFactor, GridConfig } from '../../../lib/adapters/grid/config';
import { maskedBceHeads } from '../../../lib/engine/masked-bce';
import { crossEntropy } from '../../../lib/adapters/grid/losses';
import { createLinAlg, LinAlg, LinAlgEngine } from '../../../lib/adapters/grid/linalg';
import { FamilyBatch, WideFamily } from '../../../lib/adapters/grid/wide-family';

interface RefCase { pooling: 'avg' | 'attentive'; layers: 1 | 2; loss: 'bce' | 'ce'; init: Record<string, number[]>[]; final: Record<string, number[]>[]; losses: number[][] }
const ref = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/adapters/torch-headgrid-ref.json'), 'utf8')) as {
  N: number; D: number; T: number; C: number; H: number; steps: number; configs: { lr: number; wd: number }[];
  cls: number[]; patches: number[]; labels: (number | null)[]; classes: number[]; cases: RefCase[];
};

/** Per-head torch arrays → our wide layout (head-major column blocks; row blocks [G·h, C] for second-layer weights). */
function toWide(heads: Record<string, number[]>[], name: string, rows: number, cols: number, block: boolean): Float32Array {
  const g = heads.length;
  if (block) {
    const out = new Float32Array(g * rows * cols);
    heads.forEach((h, k) => out.set(h[name], k * rows * cols));
    return out;
  }
  const out = new Float32Array(rows * cols * g);
  const width = cols * g;
  heads.forEach((h, k) => {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * width + k * cols + j] = h[name][i * cols + j];
  });
  return out;
}

function shapesFor(c: RefCase): Record<string, [number, number, boolean]> {
  const { D, C, H } = ref;
  if (c.pooling === 'avg') {
    return c.layers === 1 ? { w: [2 * D, C, false], b: [1, C, false] }
      : { w1: [2 * D, H, false], b1: [1, H, false], w2: [H, C, true], b2: [1, C, false] };
  }
  return c.layers === 1 ? { wq: [D, C, false], wv: [D, C, false], b: [1, C, false] }
    : { wq: [D, C, false], w1: [D, H, false], b1: [1, H, false], w2: [H, C, true], b: [1, C, false] };
}

for (const engine of ['ort', 'tfjs'] as LinAlgEngine[]) describe(`wide head families vs PyTorch (scripts/torch-headgrid-ref.py), ${engine} engine`, () => {
  let la: LinAlg;
  before(async () => { await initBackend(); la = await createLinAlg(engine); });
  after(async () => { await la.release(); });
  const { N, D, T, C, H } = ref;
  const cls = Float32Array.from(ref.cls);
  const patches = Float32Array.from(ref.patches);
  const labels = Float32Array.from(ref.labels.map((v) => (v === null ? NaN : v)));
  const classes = Int32Array.from(ref.classes);
  const configs: GridConfig[] = ref.configs.map((c) => ({ ...c, layers: 1, pooling: 'avg' }));

  for (const c of ref.cases) {
    it(`${c.pooling} ${c.layers === 1 ? 'linear' : 'MLP'} (${c.loss}): losses and weights after ${ref.steps} AdamW steps match to 1e-5`, async () => {
      const rng = createRng(1);
      const fam: WideFamily = c.pooling === 'avg'
        ? new AvgFamily(configs, 2 * D, C, c.layers, H, [rng, rng])
        : new AttentiveFamily(configs, D, C, c.layers, H, [rng, rng]);
      const shapes = shapesFor(c);
      fam.setParams(Object.fromEntries(Object.entries(shapes).map(([k, [r, cc, blk]]) => [k, toWide(c.init, k, r, cc, blk)])));
      const batch: FamilyBatch = c.pooling === 'avg'
        ? { b: N, x: avgPoolFeatures(cls, N, D, patches, T), din: 2 * D }
        : { b: N, tokens: patches, t: T, d: D };
      const lossFn = c.loss === 'bce' ? (z: Float32Array) => maskedBceHeads(z, labels, N, 2, C) : (z: Float32Array) => crossEntropy(z, classes, N, 2, C);
      for (let s = 0; s < ref.steps; s++) {
        const loss = await fam.step(batch, lossFn, cosineFactor(s, ref.steps), la);
        for (let g = 0; g < 2; g++) assert.ok(Math.abs(loss[g] - c.losses[g][s]) < 1e-5, `step ${s} head ${g}: loss ${loss[g]} vs torch ${c.losses[g][s]}`);
      }
      const got = fam.getParams();
      for (const [k, [r, cc, blk]] of Object.entries(shapes)) {
        const want = toWide(c.final, k, r, cc, blk);
        let maxErr = 0;
        for (let i = 0; i < want.length; i++) maxErr = Math.max(maxErr, Math.abs(got[k][i] - want[i]));
        assert.ok(maxErr < 2e-5, `${k}: max |Δ| = ${maxErr}`);
      }
    });
  }
});
