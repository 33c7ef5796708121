import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { transferComparison } from '../../lib/eval/grid/transfer-comparison';
import { loadSynthetic } from '../../lib/data/synthetic';

describe('transferComparison', () => {
  it('stacks one generalization ResultTable per frozen encoder: val on the train population, test on each population', async function () {
    this.timeout(120000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-transfer-'));
    try {
      const samples = await loadSynthetic({ variant: 'cxr', n: 160, size: 32, seed: 4, populations: ['popA', 'popB'], cacheDir: path.join(dir, 'syn'), splits: [0.6, 0.2, 0.2] });
      const table = await transferComparison({
        encoders: { a: 'randproj:16:1', b: 'randproj:16:2' }, cacheDir: path.join(dir, 'features'), samples,
        trainPopulation: 'popA', testPopulations: ['popA', 'popB'], labels: ['Effusion', 'Support Devices'],
        grid: { poolings: ['avg'], layers: [1], lrs: [1e-2], wds: [0] }, epochs: 2, inputSize: 32,
      });
      const macro = (table.objects() as Record<string, unknown>[]).filter((r) => r.metric === 'auroc' && !String(r.group).includes('/'));
      assert.deepStrictEqual(macro.map((r) => `${r.model}:${r.split}:${r.group}`), ['a:val:popA', 'a:test:popA', 'a:test:popB', 'b:val:popA', 'b:test:popA', 'b:test:popB']);
      for (const r of macro) assert.ok((r.value as number) >= 0 && (r.value as number) <= 1, JSON.stringify(r));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an empty encoder list', async () => {
    await assert.rejects(transferComparison({ encoders: {}, cacheDir: '/nonexistent', samples: { dataset: 'x', table: null as never, labelNames: [], problems: [], loadImage: async () => { throw new Error(); } }, trainPopulation: 'popA', testPopulations: [] }), /no encoders/);
  });
});
