import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import type { Predictions } from '../../lib/eval/protocol';
import type { SegPrediction } from '../../lib/eval/dense/segmentation';
import type { AttentionMap } from '../../lib/eval/explainability/pinpointing';
import { readable } from '../../lib/figures/readable';

const ref = require('../fixtures/study/classification.json');
const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) < tol;

function resultTable(values: Record<string, Record<string, number[]>>) {
  const rows: Record<string, unknown>[] = [];
  for (const [dataset, byModel] of Object.entries(values)) {
    for (const [model, vs] of Object.entries(byModel)) {
      vs.forEach((value, seed) => {
        rows.push({ model, task: 'classification', dataset, split: 'test', seed, fold: 0, group: 'macro', metric: 'auroc', value, config: '' });
        rows.push({ model, task: 'classification', dataset, split: 'test', seed, fold: 0, group: 'Nodule', metric: 'auroc', value: 0.5, config: '' });
      });
    }
  }
  return aq.from(rows);
}

/** A 4-sample, 4×4-pixel SampleTable with three mask classes (a, b annotated; c null on s2) and a label 'P'. */
function tinyTable(): SampleTable {
  const masks: Record<string, (Uint8Array | null)[]> = {};
  ['s0', 's1', 's2', 's3'].forEach((id, i) => {
    const a = new Uint8Array(16), b = new Uint8Array(16), c = new Uint8Array(16);
    a[i] = 1; b[i + 4] = 1; b[i] = 1; c[15 - i] = 1;
    masks[id] = [a, b, id === 's2' ? null : c];
  });
  return {
    dataset: 'tiny',
    table: aq.table({ id: ['s0', 's1', 's2', 's3'], split: ['test', 'test', 'test', 'test'], width: [4, 4, 4, 4], height: [4, 4, 4, 4], P: [0, 1, 0, 1] }),
    labelNames: ['P'],
    maskClasses: ['a', 'b', 'c'],
    problems: [],
    loadImage: async () => ({ width: 4, height: 4, data: new Float32Array(16).fill(0.5) }),
    loadMasks: async (id) => masks[id],
  };
}

describe('readable', () => {
  it('keeps the data order on x and un-truncates labels, without mutating the input', () => {
    const spec = { config: { axis: { grid: true } }, layer: [{ encoding: { x: { field: 'group' }, xOffset: { field: 'model' }, color: { field: 'model' } } }, { encoding: { x: { field: 'group', sort: ['b'] } } }] };
    const out = readable(spec) as any;
    assert.equal(out.layer[0].encoding.x.sort, null);
    assert.equal(out.layer[0].encoding.xOffset.sort, null);
    assert.equal(out.layer[0].encoding.color.sort, null);
    assert.deepEqual(out.layer[1].encoding.x.sort, ['b']);
    assert.equal(out.config.axis.labelLimit, 400);
    assert.equal(out.config.axis.grid, true);
    assert.equal((spec.layer[0].encoding.x as any).sort, undefined);
  });
});

describe('readable text labels', () => {
  it('draws p labels vertically', () => {
    const out = readable({ layer: [{ mark: { type: 'text', dy: -6, fontSize: 9 }, encoding: { text: { field: 'label' } } }] }) as any;
    assert.deepEqual([out.layer[0].mark.angle, out.layer[0].mark.align, out.layer[0].mark.dy, out.layer[0].mark.fontSize], [270, 'left', 0, 9]);
  });
});
