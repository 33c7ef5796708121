import { strict as assert } from 'assert';
import { getProfile, profileFromEnv, profileSections } from '../../lib/config/profiles';
import { deepMerge, resolveConfig } from '../../lib/config/resolve';
import { z } from 'zod';

describe('getProfile', () => {
  const saved = { ...process.env };
  beforeEach(() => { delete process.env.RAYDINO_PROFILE; delete process.env.RAYDINO_PROFILE_OVERRIDES; });
  after(() => {
    for (const k of ['RAYDINO_PROFILE', 'RAYDINO_PROFILE_OVERRIDES']) {
      if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    }
  });

  it('defaults to quick and reads RAYDINO_PROFILE', () => {
    assert.equal(getProfile().name, 'quick');
    process.env.RAYDINO_PROFILE = 'full';
    assert.equal(getProfile().name, 'full');
    assert.equal(getProfile().eval.folds, 20);
  });

  it('quick is smaller than full in every size', () => {
    const q = getProfile('quick');
    const f = getProfile('full');
    assert.ok(q.data.imageSize < f.data.imageSize);
    assert.ok(q.data.nTrain < f.data.nTrain);
    assert.ok(q.eval.bootstrapN < f.eval.bootstrapN);
    assert.ok(q.pretrain.steps < f.pretrain.steps);
    assert.deepEqual(Object.keys(q).filter((k) => k !== 'name').sort(), profileSections().sort());
  });

  it('applies overrides deeply without touching other fields', () => {
    const p = getProfile('quick', { eval: { bootstrapN: 7 } });
    assert.equal(p.eval.bootstrapN, 7);
    assert.equal(p.eval.folds, getProfile('quick').eval.folds);
    process.env.RAYDINO_PROFILE_OVERRIDES = '{"data":{"nTrain":3}}';
    assert.equal(getProfile('quick').data.nTrain, 3);
  });

  it('names the bad field, section or variable', () => {
    assert.throws(() => getProfile('quick', { eval: { bootstrapN: -1 } }), /profile quick\.eval: bootstrapN: Number must be greater than or equal to 1/);
    assert.throws(() => getProfile('quick', { data: { imageSiz: 3 } } as never), /profile quick\.data: \(root\): Unrecognized key/);
    assert.throws(() => getProfile('quick', { nope: {} } as never), /unknown section 'nope'/);
    assert.throws(() => getProfile('medium'), /invalid RAYDINO_PROFILE: medium/);
    assert.throws(() => profileFromEnv({ RAYDINO_PROFILE: 'x' }), /expected quick or full/);
    process.env.RAYDINO_PROFILE_OVERRIDES = '{bad';
    assert.throws(() => getProfile(), /invalid RAYDINO_PROFILE_OVERRIDES \(not JSON\)/);
    for (const [raw, what] of [['5', 'a number'], ['"eval"', 'a string'], ['[{"eval":{}}]', 'an array'], ['null', 'null']]) {
      process.env.RAYDINO_PROFILE_OVERRIDES = raw;
      assert.throws(() => getProfile(), new RegExp(`^Error: invalid RAYDINO_PROFILE_OVERRIDES: ${raw.replace(/[[\]{}]/g, '\\$&')} is ${what}, expected a JSON object`));
    }
  });
});

describe('resolveConfig', () => {
  const schema = z.object({ a: z.number(), b: z.object({ c: z.array(z.number()), d: z.string() }) });
  it('merges objects, replaces arrays, never mutates', () => {
    const defaults = { a: 1, b: { c: [1, 2], d: 'x' } };
    const r = resolveConfig(schema, defaults, { b: { c: [9] } });
    assert.deepEqual(r, { a: 1, b: { c: [9], d: 'x' } });
    assert.deepEqual(defaults, { a: 1, b: { c: [1, 2], d: 'x' } });
    assert.deepEqual(deepMerge({ a: { b: 1 } }, undefined), { a: { b: 1 } });
  });
  it('names the path of a bad field', () => {
    assert.throws(() => resolveConfig(schema, { a: 1, b: { c: [], d: 'x' } }, { b: { d: 3 } }, 'cfg.json'), /cfg\.json: b\.d: Expected string, received number/);
  });
});
