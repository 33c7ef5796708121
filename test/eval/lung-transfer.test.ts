import { strict as assert } from 'assert';
import { idsWithLungMask, lungClassesOf, lungMaskSource, unionMasks } from '../../lib/eval/dense/lung-transfer';
import { lungWorld } from './fake-masks';

describe('lung masks', () => {
  const { L, R, syn, real } = lungWorld();

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
