import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { cobbTable } from '../../lib/analysis/cobb-table';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('cobbTable', () => {
  it('averages Pearson and r² per angle over seeds, SMAPE over all angles', () => {
    const rows: Record<string, unknown>[] = [];
    const add = (seed: number, group: string, metric: string, value: number) => rows.push({ model: 'enc', task: 'cobb', dataset: 'spine', split: 'test', seed, fold: 0, group, metric, value, config: '' });
    add(0, 'PT', 'pearson', 0.5); add(1, 'PT', 'pearson', 0.7);
    add(0, 'PT', 'r2', 0.1); add(1, 'PT', 'r2', 0.3);
    add(0, 'MT', 'pearson', 0.9); add(1, 'MT', 'pearson', 0.8);
    add(0, 'MT', 'r2', 0.6); add(1, 'MT', 'r2', 0.5);
    add(0, 'all', 'smape', 20); add(1, 'all', 'smape', 30);
    const t = cobbTable(aq.from(rows));
    assert.equal(t.length, 2);
    const pt = t.find((x) => x.angle === 'PT')!;
    close(pt.pearson as number, 0.6); close(pt.r2 as number, 0.2); close(pt.smape_all as number, 25);
    close(t.find((x) => x.angle === 'MT')!.pearson as number, 0.85);
  });
});

describe('cobbMeanFloor', () => {
  // train angles (PT, MT, TL) and test angles; reference numbers from scripts/cobb-floor-reference.py (numpy)
  const train = [[10, 20, 5], [14, 26, 9], [12, 17, 4]];
  const test = [[11, 30, 6], [20, 18, 2], [9, 25, 8], [15, 21, 7]];
  const rows = [...train.map((v, i) => ({ id: `t${i}`, split: 'train', v })), ...test.map((v, i) => ({ id: `s${i}`, split: 'test', v })), { id: 'v0', split: 'val', v: [99, 99, 99] }]
    .map((r) => ({ id: r.id, split: r.split, cobb_pt: r.v[0], cobb_mt: r.v[1], cobb_tl: r.v[2] }));
  const samples = { dataset: 'spine', table: aq.from(rows), targetNames: ['cobb_pt', 'cobb_mt', 'cobb_tl'], labelNames: [] } as never;

  it('predicts the training means on test: r² per angle and SMAPE over all angles as numpy, Pearson undefined', async () => {
    const { cobbMeanFloor, COBB_FLOOR } = await import('../../lib/analysis/cobb-table');
    const floor = cobbMeanFloor(samples, { cobb_pt: 'PT', cobb_mt: 'MT', cobb_tl: 'TL' }) as Record<string, any>[];
    assert.deepEqual(floor.map((r) => [r.model, r.angle]), [[COBB_FLOOR, 'PT'], [COBB_FLOOR, 'MT'], [COBB_FLOOR, 'TL']]);
    [-0.17314487632508824, -0.308641975308642, -0.012048192771084265].forEach((want, k) => assert.ok(Math.abs(floor[k].r2 - want) < 1e-12, `${floor[k].angle} r² ${floor[k].r2}`));
    floor.forEach((r) => { assert.ok(Math.abs(r.smape_all - 11.651102160123749) < 1e-9, `SMAPE ${r.smape_all}`); assert.ok(Number.isNaN(r.pearson)); });
  });

  it('names the row of a missing angle', async () => {
    const { cobbMeanFloor } = await import('../../lib/analysis/cobb-table');
    const bad = { ...(samples as object), table: aq.from([...rows.slice(0, 3), { ...rows[3], cobb_mt: null }, ...rows.slice(4)]) } as never;
    assert.throws(() => cobbMeanFloor(bad), /spine test row 0 \(id s0\) field cobb_mt is null/);
  });
});
