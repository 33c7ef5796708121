import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../lib/engine/backend';
import { ReportModel, WordVocab } from '../../lib/text';

// scripts/torch-report-model-ref.py: the same adapter + LM in PyTorch float64, random weights, a padded batch
const FIX = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/text/report-model-grads.json'), 'utf8'));

describe('ReportModel loss and gradients = PyTorch (adapter + causal LM)', () => {
  before(async () => { await initBackend(); });

  const build = () => {
    const c = FIX.config;
    const vocab = new WordVocab(['<pad>', '<bos>', '<eos>', '<unk>', '<sep>', ...Array.from({ length: c.vocab - 5 }, (_, i) => `w${i}`)]);
    const m = new ReportModel(vocab, { dModel: c.dModel, heads: c.heads, lmLayers: c.lmLayers, adapterLayers: c.adapterLayers, prefixTokens: c.prefixTokens, mlpRatio: c.mlpRatio, maxText: c.maxText, seed: 0 });
    m.attachAdapter(c.dim, c.tokens);
    assert.deepStrictEqual([...m.params.keys()].sort(), Object.keys(FIX.params).sort(), 'same parameter set as the reference');
    for (const [k, v] of Object.entries(FIX.params) as [string, { shape: number[]; values: number[] }][]) {
      const p = m.params.get(k)!;
      assert.deepStrictEqual(p.shape, v.shape, k);
      p.assign(tf.tensor(v.values, v.shape));
    }
    return m;
  };

  for (const k of [0, 1]) {
    it(`${k === 0 ? 'captioning (image prefix, loss on the findings)' : 'text-only (loss on every next token)'}: loss and every gradient`, () => {
      const c = FIX.config, cs = FIX.cases[k];
      const m = build();
      const names = [...m.params.keys()].filter((n) => n in cs.grads);
      const vars = names.map((n) => m.params.get(n)!);
      const patches = cs.patches ? tf.tensor3d(cs.patches, [cs.batch.length, c.tokens, c.dim]) : null;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the private loss the trainer differentiates
      const { value, grads } = tf.variableGrads(() => (m as any).batchLoss(cs.batch, patches ? m.prefix(patches) : null), vars);
      assert.ok(Math.abs(value.dataSync()[0] - cs.loss) < 1e-5 * Math.max(1, Math.abs(cs.loss)), `loss ${value.dataSync()[0]} vs ${cs.loss}`);
      names.forEach((n, i) => {
        const got = grads[vars[i].name].dataSync(), want: number[] = cs.grads[n];
        const scale = Math.max(...want.map(Math.abs));
        assert.ok(scale > 1e-6, `${n}: reference gradient is zero, the check would be empty`);
        let worst = 0;
        want.forEach((w, j) => { worst = Math.max(worst, Math.abs(got[j] - w)); });
        assert.ok(worst < 1e-4 * Math.max(1, scale), `${n}: max |tfjs − torch| ${worst} (max |grad| ${scale})`);
      });
      tf.dispose([value, ...Object.values(grads)]);
      patches?.dispose();
      m.dispose();
    });
  }
});
