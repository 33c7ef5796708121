import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { effectiveRank, meanPairwiseCosine, meanRowEntropy, meanRowSd } from '../../lib/pretrain/health';

interface Case { n: number; d: number; x: number[]; logits: number[]; probs: number[]; entropy: number; row_sd: number; cosine: number; effective_rank: number }
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/pretrain/health.json'), 'utf8')) as { cases: Case[] };

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs numpy ${b}`);
}

describe('health figures (numpy reference, scripts/pretrain-health-fixtures.py)', () => {
  fixture.cases.forEach((c, i) => {
    it(`case ${i} (${c.n}×${c.d})`, () => {
      close(meanRowEntropy(c.probs, c.n, c.d), c.entropy, 1e-9, 'entropy');
      close(meanRowSd(c.logits, c.n, c.d), c.row_sd, 1e-9, 'row sd');
      close(meanPairwiseCosine(c.x, c.n, c.d), c.cosine, 1e-9, 'pairwise cosine');
      close(effectiveRank(c.x, c.n, c.d), c.effective_rank, 1e-6, 'effective rank');
    });
  });

  it('names a shape mismatch and refuses a single row', () => {
    assert.throws(() => meanRowEntropy([0.5, 0.5, 1], 1, 2), /3 values for 1×2/);
    assert.throws(() => effectiveRank([1, 2], 1, 2), /at least 2 rows/);
    assert.throws(() => meanPairwiseCosine([1, 2], 1, 2), /at least 2 rows/);
  });
});
