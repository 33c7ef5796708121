import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../../../lib/engine/backend';
import { createRng } from '../../../lib/engine/rng';
import { AttentiveFamily } from '../../../lib/adapters/grid/attentive-family';
import { cosineFactor, GridConfig } from '../../../lib/adapters/grid/config';
import { maskedBceHeads } from '../../../lib/engine/masked-bce';
import { createLinAlg, LinAlg, LinAlgEngine } from '../../../lib/adapters/grid/linalg';
import type { FamilyBatch } from '../../../lib/adapters/grid/wide-family';

interface Case { layers: 1 | 2; init: Record<string, number[]>[]; final: Record<string, number[]>[]; losses: number[][]; attention: number[][] }
const ref = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/adapters/attentive-centred-keys.json'), 'utf8')) as {
  N: number; D: number; T: number; C: number; H: number; steps: number; configs: { lr: number; wd: number }[];
  patches: number[]; labels: number[]; cases: Case[];
};

/** Per-head torch arrays → the wide layout (column blocks per head; w2 row blocks [G·h, C]). */
function toWide(heads: Record<string, number[]>[], name: string, rows: number, cols: number): Float32Array {
  if (name === 'w2') return Float32Array.from(heads.flatMap((h) => h[name]));
  const out = new Float32Array(rows * cols * heads.length);
  heads.forEach((h, k) => { for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols * heads.length + k * cols + j] = h[name][i * cols + j]; });
  return out;
}

for (const engine of ['ort', 'tfjs'] as LinAlgEngine[]) describe(`AttentiveFamily centreKeys vs PyTorch (scripts/pinpointing-centred-keys-ref.py), ${engine}`, () => {
  let la: LinAlg;
  before(async () => { await initBackend(); la = await createLinAlg(engine); });
  after(async () => { await la.release(); });
  const { N, D, T, C, H } = ref;
  const configs: GridConfig[] = ref.configs.map((c) => ({ ...c, layers: 1, pooling: 'attentive' }));
  const batch: FamilyBatch = { b: N, tokens: Float32Array.from(ref.patches), t: T, d: D };
  const labels = Float32Array.from(ref.labels);
  const shapes = (layers: 1 | 2): Record<string, [number, number]> => (layers === 1
    ? { wq: [D, C], wv: [D, C], b: [1, C] }
    : { wq: [D, C], w1: [D, H], b1: [1, H], w2: [H, C], b: [1, C] });
  const family = (c: Case, centreKeys: boolean) => {
    const rng = createRng(1);
    const fam = new AttentiveFamily(configs, D, C, c.layers, H, [rng, rng], { centreKeys });
    fam.setParams(Object.fromEntries(Object.entries(shapes(c.layers)).map(([k, [r, cc]]) => [k, toWide(c.init, k, r, cc)])));
    return fam;
  };
  const lossFn = (z: Float32Array) => maskedBceHeads(z, labels, N, 2, C);

  for (const c of ref.cases) {
    it(`${c.layers === 1 ? 'linear' : 'MLP'}: losses, weights and attention after ${ref.steps} steps match (scores on x − μ_position)`, async () => {
      const fam = family(c, true);
      for (let s = 0; s < ref.steps; s++) {
        const loss = await fam.step(batch, lossFn, cosineFactor(s, ref.steps), la);
        for (let g = 0; g < 2; g++) assert.ok(Math.abs(loss[g] - c.losses[g][s]) < 1e-5, `step ${s} head ${g}: ${loss[g]} vs torch ${c.losses[g][s]}`);
      }
      const got = fam.getParams();
      for (const [k, [r, cc]] of Object.entries(shapes(c.layers))) {
        const want = toWide(c.final, k, r, cc);
        let err = 0;
        for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[k][i] - want[i]));
        assert.ok(err < 2e-5, `${k}: max |Δ| = ${err}`);
      }
      const { cache } = await fam.forward(batch, la);
      let err = 0;
      for (let g = 0; g < 2; g++) for (let i = 0; i < N; i++) for (let t = 0; t < T; t++) for (let j = 0; j < C; j++) {
        err = Math.max(err, Math.abs(cache.a[(i * T + t) * 2 * C + g * C + j] - c.attention[g][(i * T + t) * C + j]));
      }
      assert.ok(err < 1e-5, `attention max |Δ| = ${err}`);
    });
  }

  it('raw keys (the default) give different losses on the same tokens, and centring starts only after a training step', async () => {
    const c = ref.cases[0];
    const raw = family(c, false), centred = family(c, true);
    assert.strictEqual(new AttentiveFamily(configs, D, C, 1, H, [createRng(1), createRng(1)]).centreKeys, false);
    // before any step no mean is known: forward is the raw-key forward
    const [a0, b0] = [(await raw.forward(batch, la)).logits.slice(), (await centred.forward(batch, la)).logits.slice()];
    assert.deepStrictEqual(Array.from(a0), Array.from(b0));
    const lr = await raw.step(batch, lossFn, 1, la);
    const lc = await centred.step(batch, lossFn, 1, la);
    assert.ok(Math.abs(lr[0] - lc[0]) > 1e-3, `raw ${lr[0]} vs centred ${lc[0]}`);
    assert.ok(Math.abs(lc[0] - c.losses[0][0]) < 1e-5);
  });
});
