import { strict as assert } from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import type { FeatureSet } from '../../lib/features/feature-set';
import type { Predictions } from '../../lib/eval/protocol';
import { idsWithLungMask, lungClassesOf, lungMaskSource, unionMasks } from '../../lib/eval/dense/lung-transfer';

const ref = require('../fixtures/study/generalization.json');
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** A tiny SampleTable with masks given per id. */
function fakeTable(dataset: string, rows: Record<string, unknown>[], maskClasses: string[], masks: Record<string, (Uint8Array | null)[]>, extra: Partial<SampleTable> = {}): SampleTable {
  return {
    dataset, table: aq.from(rows), labelNames: [], maskClasses, problems: [],
    loadImage: async (id) => {
      const r = rows.find((x) => x.id === id)!;
      return { width: r.width as number, height: r.height as number, data: new Float32Array((r.width as number) * (r.height as number)).fill(0.5) };
    },
    loadMasks: async (id) => masks[id],
    ...extra,
  };
}

describe('lung masks', () => {
  const L = Uint8Array.from([1, 0, 0, 0]);
  const R = Uint8Array.from([0, 0, 0, 1]);
  const syn = fakeTable('syn', [{ id: 's1', split: 'test', width: 2, height: 2 }], ['body', 'right_lung', 'left_lung'],
    { s1: [Uint8Array.from([1, 1, 1, 1]), R, L] });
  const real = fakeTable('real', [
    { id: 'r1', split: 'train', width: 2, height: 2, has_lung_mask: 1 },
    { id: 'r2', split: 'test', width: 2, height: 2, has_lung_mask: 0 },
  ], ['lungs'], { r1: [Uint8Array.from([1, 1, 0, 0])], r2: [null] });

  it('finds the lung classes by name', () => {
    assert.deepEqual(lungClassesOf(syn), ['right_lung', 'left_lung']);
    assert.deepEqual(lungClassesOf(real), ['lungs']);
    assert.throws(() => lungClassesOf({ ...syn, maskClasses: ['heart'] }), /no lung mask class \(mask classes: heart\)/);
  });
  it('unions masks, null when none is annotated', () => {
    assert.deepEqual(Array.from(unionMasks([L, null, R])!), [1, 0, 0, 1]);
    assert.equal(unionMasks([null, null]), null);
    assert.throws(() => unionMasks([L, Uint8Array.from([1])]), /masks of 1 and 4 pixels/);
  });
  it('serves one lungs class across datasets', async () => {
    const src = lungMaskSource([syn, real]);
    assert.deepEqual(src.classes, ['lungs']);
    const a = await src.load('s1');
    assert.deepEqual([a.width, a.height], [2, 2]);
    assert.deepEqual(Array.from(a.masks[0]!), [1, 0, 0, 1]);
    assert.deepEqual(Array.from((await src.load('r1')).masks[0]!), [1, 1, 0, 0]);
    assert.equal((await src.load('r2')).masks[0], null);
    await assert.rejects(src.load('nope'), /sample nope is in none of syn, real/);
    assert.throws(() => lungMaskSource([syn, syn]), /sample id s1 is in both syn and syn/);
  });
  it('lists annotated ids (has_lung_mask column or the masks)', async () => {
    assert.deepEqual(await idsWithLungMask(real), ['r1']);
    assert.deepEqual(await idsWithLungMask(real, 'test'), []);
    assert.deepEqual(await idsWithLungMask(syn), ['s1']);
  });
});
