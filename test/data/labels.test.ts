import assert from 'assert';
import { encodeChexpertValue, encodeBinaryValue, multiHot, parsePythonList } from '../../lib/data/labels';

describe('encodeChexpertValue', () => {
  const cases: [string, 'zero' | 'one' | 'ignore', 'zero' | 'ignore', number][] = [
    ['1.0', 'ignore', 'zero', 1], ['0.0', 'ignore', 'zero', 0], ['-1.0', 'ignore', 'zero', NaN], ['-1.0', 'zero', 'zero', 0],
    ['-1.0', 'one', 'zero', 1], ['', 'ignore', 'zero', 0], ['', 'ignore', 'ignore', NaN], ['1', 'zero', 'ignore', 1],
  ];
  for (const [raw, u, b, want] of cases) {
    it(`'${raw}' uncertain=${u} blank=${b} → ${want}`, () => {
      const v = encodeChexpertValue(raw, { uncertain: u, blank: b }, 'f:2');
      if (Number.isNaN(want)) assert.ok(Number.isNaN(v)); else assert.strictEqual(v, want);
    });
  }
  it('rejects other values naming the place', () => {
    assert.throws(() => encodeChexpertValue('2', { uncertain: 'ignore', blank: 'zero' }, 'train.csv:7 column \'Edema\''), /train\.csv:7 column 'Edema': invalid label value '2'/);
    assert.throws(() => encodeBinaryValue('-1', 'x'), /x: invalid label value '-1' \(expected 0 or 1\)/);
  });
});

describe('multiHot / parsePythonList', () => {
  it('maps aliases and reports unknown names', () => {
    const r = multiHot(['Infiltrate', 'Mass', 'Foo'], ['Infiltration', 'Mass', 'Nodule'], { Infiltrate: 'Infiltration' });
    assert.deepStrictEqual(r.labels, { Infiltration: 1, Mass: 1, Nodule: 0 });
    assert.deepStrictEqual(r.unknown, ['Foo']);
  });
  it('parses PadChest list literals', () => {
    assert.deepStrictEqual(parsePythonList("['COPD signs', 'air trapping']", 'x'), ['COPD signs', 'air trapping']);
    assert.deepStrictEqual(parsePythonList("[' normal']", 'x'), ['normal']);
    assert.deepStrictEqual(parsePythonList('[]', 'x'), []);
    assert.deepStrictEqual(parsePythonList("[\"it's\", 'b']", 'x'), ["it's", 'b']);
    assert.deepStrictEqual(parsePythonList('', 'x'), []);
    assert.throws(() => parsePythonList("['a', b]", 'p.csv:3'), /p\.csv:3: not a Python list literal/);
  });
});
