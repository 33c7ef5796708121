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
