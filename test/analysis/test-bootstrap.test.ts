/** The paired test-set bootstrap beside the seed CI: values, pairing, and refusal of unpaired inputs. */
import { strict as assert } from 'assert';
import { testBootstrapBars } from '../../lib/analysis/test-bootstrap';
import type { Predictions } from '../../lib/eval/protocol';
import { createRng } from '../../lib/engine/rng';
import { macroAuroc } from '../../lib/stats/macro';

const N = 80, C = 2;
const rng = createRng(3);
const ids = Array.from({ length: N }, (_, i) => `s${i}`);
const labels = Float32Array.from({ length: N * C }, (_, j) => ((j * 7) % 5 < 2 ? 1 : 0));
const pred = (seed: number, scores: Float32Array, rows = ids): Predictions =>
  ({ seed, fold: 0, config: 'c', split: 'test', group: '', ids: rows, classNames: ['a', 'b'], scores, labels });
const noisy = (signal: number) => Float32Array.from(labels, (y) => signal * y + rng.uniform());

describe('testBootstrapBars', () => {
  it('value = macro AUROC of the seed-averaged scores; CI around it; the best has no p', () => {
    const s0 = noisy(0.6), s1 = noisy(0.6);
    const t = testBootstrapBars(new Map([['ssl', [pred(0, s0), pred(1, s1)]]]), { dataset: 'd', seed: 0, n: 200 });
    const mean = Float32Array.from(s0, (v, j) => (v + s1[j]) / 2);
    const col = (a: Float32Array, k: number) => Float64Array.from({ length: N }, (_, i) => a[i * C + k]);
    const want = macroAuroc([col(labels, 0), col(labels, 1)], [col(mean, 0), col(mean, 1)], { layout: 'classes' }).macro;
    const [r] = t.objects() as Record<string, any>[];
    assert.ok(Math.abs(r.value - want) < 1e-6, `${r.value} vs ${want}`);
    assert.ok(r.lo <= r.value && r.value <= r.hi && r.hi - r.lo > 0.01, `[${r.lo}, ${r.hi}]`);
    assert.equal(r.n, N);
    assert.ok(Number.isNaN(r.p));
    assert.equal(r.label, '');
  });

  it('a strong encoder against a chance one: small paired p; two identical encoders: p = 1', () => {
    const strong = noisy(2), chance = noisy(0);
    const t = testBootstrapBars(new Map([['chance', [pred(0, chance)]], ['strong', [pred(0, strong)]], ['twin', [pred(0, chance)]]]), { dataset: 'd', seed: 1, n: 300 });
    const rows = Object.fromEntries((t.objects() as Record<string, any>[]).map((r) => [r.model, r]));
    assert.equal(rows.strong.best, 'strong');
    assert.ok(rows.chance.p < 0.01, `p ${rows.chance.p}`);
    const same = testBootstrapBars(new Map([['a', [pred(0, chance)]], ['b', [pred(0, chance)]]]), { dataset: 'd', seed: 1, n: 100 });
    assert.equal((same.objects() as Record<string, any>[])[1].p, 1);
  });

  it('refuses encoders scored on different test rows, naming them', () => {
    const other = [...ids].reverse();
    assert.throws(() => testBootstrapBars(new Map([['a', [pred(0, noisy(1))]], ['b', [pred(0, noisy(1), other)]]]), { dataset: 'd', seed: 0 }),
      /b and a scored different test rows/);
  });
});
