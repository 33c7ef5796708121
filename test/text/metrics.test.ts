import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { bleu, bleuColumns, bleuDetailed, bleuFromColumns, rougeL, rougeLDetailed, tokenize } from '../../lib/text';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/text/metrics.json'), 'utf8'));

function close(a: number, b: number, what: string): void {
  // Relative tolerance: BLEU of disjoint text is ~1e-16 (the smoothing constants), which must still match.
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)) + 1e-24 || Math.abs(a - b) / Math.abs(b) < 1e-9, `${what}: ${a} vs ${b}`);
}

describe('text metrics (vs pycocoevalcap Bleu / Rouge semantics, scripts/text-metrics-fixtures.py)', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const b = bleu(c.references, c.hypotheses, { n: 4 });
      assert.strictEqual(b.length, 4);
      b.forEach((v, k) => close(v, c.bleu[k], `BLEU-${k + 1}`));
      close(rougeL(c.references, c.hypotheses), c.rougeL, 'ROUGE-L');
      rougeLDetailed(c.references, c.hypotheses).perSample.forEach((v, i) => close(v, c.rougeLPerSample[i], `ROUGE-L[${i}]`));
    });
  }

  it('brevity penalty uses the corpus lengths', () => {
    const d = bleuDetailed([['a b c d']], ['a b'], { n: 2 });
    assert.strictEqual(d.testLength, 2);
    assert.strictEqual(d.refLength, 4);
    close(d.bleu[0], Math.exp(1 - 2), 'BLEU-1 with BP');
  });

  it('bad input names the sample', () => {
    assert.throws(() => bleu([['a']], ['a', 'b']), /bleu: length mismatch: 1 reference sets, 2 hypotheses/);
    assert.throws(() => rougeL([['a'], []], ['a', 'b']), /rougeL: references\[1\] has no reference text/);
    assert.throws(() => bleu([['a'], ['  ']], ['a', 'b']), /bleu: references\[1\]\[0\] is empty/);
    assert.throws(() => bleu([], []), /bleu: no samples/);
  });
});

describe('tokenize (PTBTokenizer behaviour on plain prose)', () => {
  it('lower-cases, splits and drops punctuation, keeps hyphenated words and decimals', () => {
    assert.strictEqual(tokenize('No pneumothorax. Small LEFT-sided effusion, 3.5 cm; (stable)!'),
      'no pneumothorax small left-sided effusion 3.5 cm stable');
    assert.strictEqual(tokenize('Tip is 4 cm above the carina...'), 'tip is 4 cm above the carina');
    assert.strictEqual(tokenize('   '), '');
  });
});

describe('bleuColumns / bleuFromColumns (bootstrap form)', () => {
  it('recomputes the corpus BLEU of every fixture case', () => {
    for (const c of fx.cases) {
      const cols = bleuColumns(c.references, c.hypotheses, 4);
      for (let k = 1; k <= 4; k++) close(bleuFromColumns(cols, k), c.bleu[k - 1], `${c.name} BLEU-${k}`);
    }
  });
});
