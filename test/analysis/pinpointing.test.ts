import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { describePinpointing, explainabilityResults, mapsOf, pinpointingCI, pinpointingSummary } from '../../lib/analysis/pinpointing';

describe('pinpointingCI', () => {
  const maps = [
    ...[1, 1, 0, 1].map((h) => ({ label: 'A', hit: h === 1 })),
    ...[0, 0, 1].map((h) => ({ label: 'B', hit: h === 1 })),
  ];
  it('macro mean of per-class hit rates with a bootstrap interval around it', () => {
    const s = pinpointingCI(maps, { n: 2000, seed: 3 });
    assert.ok(Math.abs(s.value - (0.75 + 1 / 3) / 2) < 1e-12);
    assert.equal(s.findings, 7); assert.equal(s.classes, 2);
    assert.ok(s.lo <= s.value && s.value <= s.hi && s.lo >= 0 && s.hi <= 1 && s.hi - s.lo > 0.1, JSON.stringify(s));
    assert.deepEqual(pinpointingCI(maps, { n: 200, seed: 3 }), pinpointingCI(maps, { n: 200, seed: 3 }));
  });
  it('a class with a single finding still varies across resamples (findings resampled together)', () => {
    const s = pinpointingCI([{ label: 'A', hit: true }, { label: 'B', hit: false }, { label: 'C', hit: true }], { n: 500, seed: 1 });
    assert.ok(Math.abs(s.value - 2 / 3) < 1e-12);
    assert.ok(s.lo === 0 && s.hi === 1, JSON.stringify(s));
  });
  it('all hits give a degenerate interval at 1; no maps throw', () => {
    const s = pinpointingCI([{ label: 'A', hit: true }, { label: 'B', hit: true }], { n: 50 });
    assert.deepEqual([s.value, s.lo, s.hi], [1, 1, 1]);
    assert.throws(() => pinpointingCI([]), /no attention maps/);
  });
});

describe('describePinpointing', () => {
  it('calls a CI above, below or around the chance level', () => {
    const row = (value: number, lo: number, hi: number, findings = 30) => ({ model: 'm', dataset: 'd', value, lo, hi, chance: 0.1, findings, classes: 3 });
    const [a, b, c, d] = describePinpointing(aq.from([row(0.5, 0.3, 0.7), row(0.04, 0.02, 0.06), row(0.1, 0.05, 0.2), row(0, 0, 0, 8)]));
    assert.match(a, /^m on d: 0\.500 \[0\.300, 0\.700\] vs chance 0\.100 — above chance \(30 findings, 3 classes\)$/);
    assert.match(d, /too few findings for a verdict \(< 20\)/);
    assert.match(b, /BELOW chance/);
    assert.match(c, /not distinguishable from chance/);
  });
});

describe('explainabilityResults / mapsOf / pinpointingSummary (a Session.compare run)', () => {
  const map = (seed: number, label: string, hit: boolean) => ({ seed, config: 'c', id: `${label}${seed}`, label, gridH: 1, gridW: 2,
    map: Float32Array.from([0.5, 0.5]), argmax: 0, boxes: [], imageWidth: 2, imageHeight: 1, hit });
  const row = (model: string, seed: number, value: number) => ({ model, task: 'explainability', dataset: 'd', split: 'test', seed, fold: 0, group: 'macro', metric: 'pinpointing_chance', value, config: '' });
  const run = {
    // the stacked table of two encoders: each entry must get its own rows
    table: aq.from([row('a', 0, 0.25), row('a', 1, 0.9), row('b', 0, 0.5)]),
    extras: new Map([['a', { maps: [map(0, 'X', true), map(0, 'Y', false), map(1, 'X', false)] }], ['b', { maps: [map(0, 'X', false)] }]]),
  };
  it('hands each encoder its maps and its own rows; the summary reads the first seed', () => {
    const r = explainabilityResults(run, 'd');
    assert.deepEqual(r.map((x) => [x.model, x.maps.length, x.table.numRows()]), [['a', 3, 2], ['b', 1, 1]]);
    const s = pinpointingSummary(r, { n: 50, seed: 0 }).objects() as any[];
    assert.deepEqual(s.map((x) => [x.model, x.value, x.chance, x.findings]), [['a', 0.5, 0.25, 2], ['b', 0, 0.5, 1]]);
    assert.equal(mapsOf(run, 'b')[0].id, 'X0');
  });
  it('names the missing encoder, and a run without maps', () => {
    assert.throws(() => mapsOf(run, 'c'), /no encoder 'c' in the comparison \(has: a, b\)/);
    assert.throws(() => explainabilityResults({ table: run.table, extras: new Map([['a', {} as any]]) }, 'd'), /encoder a has no attention maps/);
  });
});
