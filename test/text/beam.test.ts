import * as assert from 'assert';
import { beamSearch } from '../../lib/text';

// tokens: 0 <eos>, 1 "a", 2 "b"; a constructed model where the greedy first step leads to a worse sentence
const EOS = 0;
const table: Record<string, number[]> = {
  '': [0.0, 0.6, 0.4],   // first token: "a" (0.6) beats "b" (0.4)
  '1': [0.34, 0.33, 0.33], // after "a": nothing is likely
  '2': [1.0, 0.0, 0.0],  // after "b": <eos> for sure
};
const step = (seqs: number[][]) => seqs.map((s) => (table[s.slice(1).join(',')] ?? [1, 0, 0]).map(Math.log));

describe('beamSearch', () => {
  it('width 1 is greedy; width 2 finds the higher-likelihood sentence greedy misses', () => {
    const g = beamSearch([9], step, { width: 1, maxNew: 5, eos: EOS });
    assert.deepStrictEqual(g.tokens, [1, 0]);
    assert.ok(Math.abs(g.logProb - Math.log(0.6 * 0.34)) < 1e-12);
    const b = beamSearch([9], step, { width: 2, maxNew: 5, eos: EOS });
    assert.deepStrictEqual(b.tokens, [2, 0]);
    assert.ok(Math.abs(b.logProb - Math.log(0.4)) < 1e-12);
    assert.ok(b.logProb > g.logProb);
  });

  it('stops at maxNew without <eos>; ties go to the lower token id; bad options are errors', () => {
    const flat = (seqs: number[][]) => seqs.map(() => [Math.log(0.2), Math.log(0.4), Math.log(0.4)]);
    const r = beamSearch([], flat, { width: 1, maxNew: 3, eos: EOS });
    assert.deepStrictEqual(r.tokens, [1, 1, 1]);
    assert.ok(Math.abs(r.logProb - 3 * Math.log(0.4)) < 1e-12);
    // width 3: "<eos>" now (0.2) beats any three-token continuation (0.4³ = 0.064)
    assert.deepStrictEqual(beamSearch([], flat, { width: 3, maxNew: 3, eos: EOS }).tokens, [0]);
    assert.throws(() => beamSearch([], flat, { width: 0, maxNew: 3, eos: EOS }), /width must be a positive integer/);
    assert.throws(() => beamSearch([], () => [], { width: 1, maxNew: 3, eos: EOS }), /0 distributions for 1 sequences/);
  });
});
