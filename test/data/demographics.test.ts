import assert from 'assert';
import { ageBin, normaliseAge, normaliseSex } from '../../lib/data/demographics';

describe('demographics', () => {
  it('normalises sex spellings', () => {
    assert.deepStrictEqual(['M', 'Male', 'female', 'F', 'Unknown', '', 'O'].map(normaliseSex), ['M', 'M', 'F', 'F', null, null, null]);
  });
  it('normalises ages incl. DICOM age strings; out of range → null', () => {
    assert.deepStrictEqual(['45', '045Y', '?', '', '150', '-3'].map((a) => normaliseAge(a)), [45, 45, null, null, null, null]);
    assert.strictEqual(normaliseAge('006M'), 0.5);
    assert.strictEqual(normaliseAge('0', 1), null); // CheXpert: 0 = unknown
    assert.deepStrictEqual(['NA', 'n/a', 'Unknown', 'NaN', 'None'].map((a) => normaliseAge(a)), [null, null, null, null, null]);
    assert.throws(() => normaliseAge('abc'), /^Error: age: not an age: 'abc'/);
    assert.throws(() => normaliseAge('4 5', 0, 'x.csv:3: column \'Age\''), /^Error: x\.csv:3: column 'Age': not an age: '4 5'/);
  });
  it('bins ages Young [0,35) / Middle [35,60) / Elder [60,100]', () => {
    assert.deepStrictEqual([0, 34.9, 35, 59, 60, 100, 101, null].map((a) => ageBin(a)), ['Young', 'Young', 'Middle', 'Middle', 'Elder', 'Elder', null, null]);
  });
});
