import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { segSetTable } from '../../lib/analysis/seg-sets';
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('segSetTable', () => {
  it('averages the set classes per model and seed', () => {
    const rows = [
      ['m', 0, 'lungs', 0.9], ['m', 0, 'heart', 0.7], ['m', 0, 'P', 0.2], ['m', 1, 'lungs', 0.8], ['m', 1, 'heart', 0.6], ['m', 1, 'P', NaN],
    ].map(([model, seed, group, value]) => ({ model, task: 'segmentation', dataset: 'd', split: 'test', seed, fold: 0, group, metric: 'dice', value, config: '' }));
    const out = segSetTable(aq.from(rows), [{ name: 'organs', dataset: 'd', classes: ['lungs', 'heart'] }, { name: 'ptx', dataset: 'd', classes: ['P'] }]).objects() as any[];
    assert.deepEqual(out.map((r) => [r.dataset, r.seed, +r.value.toFixed(12)]), [['organs', 0, 0.8], ['organs', 1, 0.7], ['ptx', 0, 0.2]]);
    assert.ok(out.every((r) => r.metric === 'mDice' && r.group === 'all'));
    assert.throws(() => segSetTable(aq.from(rows), [{ name: 'x', dataset: 'other', classes: ['lungs'] }]), /dataset other/);
  });
});

describe('segmentFloors', () => {
  it('scores a whole-image and an all-background mask on the test images each task scores, as segSetTable rows', async () => {
    const { segmentFloors } = await import('../../lib/analysis/seg-sets');
    const { fakeTable } = await import('../eval/fake-masks');
    const A = Uint8Array.from([1, 1, 0, 0]);
    const B = Uint8Array.from([1, 0, 0, 0]);
    const samples = fakeTable('d', [
      { id: 't1', split: 'test', width: 2, height: 2, P: 1 }, { id: 't2', split: 'test', width: 2, height: 2, P: 0 },
      { id: 'x', split: 'train', width: 2, height: 2, P: 1 },
    ], ['organ', 'P'], { t1: [A, B], t2: [B, null], x: [A, A] });
    const t = await segmentFloors(samples, [{ task: 'organs' }, { task: 'ptx', onlyPositives: 'P' }]);
    const v = (task: string, model: string, group: string) => (t.objects() as any[]).find((r) => r.task === task && r.model === model && r.group === group).value;
    // whole image: Dice = 2·|m| / (4 + |m|); the train image never counts, t2's unannotated P is left out
    close(v('organs', 'floor: whole image as the structure', 'organ'), (4 / 6 + 2 / 5) / 2);
    close(v('organs', 'floor: whole image as the structure', 'P'), 2 / 5);
    close(v('ptx', 'floor: whole image as the structure', 'organ'), 4 / 6);  // positives only: t1
    assert.equal(v('organs', 'floor: all background', 'organ'), 0);
    const sets = segSetTable(t, [{ name: 'organ set', dataset: 'd', task: 'organs', classes: ['organ', 'P'] }]).objects() as any[];
    close(sets.find((r) => r.model === 'floor: whole image as the structure').value, ((4 / 6 + 2 / 5) / 2 + 2 / 5) / 2);
    const none = fakeTable('e', [{ id: 'x', split: 'train', width: 2, height: 2 }], ['organ'], { x: [A] });
    await assert.rejects(segmentFloors(none, [{ task: 'organs' }]), /task organs has no test image in e/);
  });
});
