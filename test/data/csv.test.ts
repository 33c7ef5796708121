import assert from 'assert';
import { parseCsv, parseCsvRecords, columns, numberField } from '../../lib/data/csv';

describe('parseCsvRecords', () => {
  it('handles quotes, embedded commas/newlines, CRLF and gives record start lines', () => {
    const text = 'a,b,c\r\n1,"x, y",3\r\n2,"multi\nline ""q""",4\n\n5,,\n';
    const rows = parseCsvRecords(text, 'f.csv');
    assert.deepStrictEqual(rows.map((r) => r.line), [1, 2, 3, 6]);
    assert.deepStrictEqual(rows[1].fields, ['1', 'x, y', '3']);
    assert.deepStrictEqual(rows[2].fields, ['2', 'multi\nline "q"', '4']);
    assert.deepStrictEqual(rows[3].fields, ['5', '', '']);
  });
  it('reports an unterminated quote with file and line', () => {
    assert.throws(() => parseCsvRecords('a\n"open\n', 'f.csv'), /f\.csv:2: unterminated quoted field/);
  });
});

describe('parseCsv / columns', () => {
  it('skips comment lines and strips a BOM-less header; NIH quirky header gives 11 names', () => {
    const t = parseCsv('## c1,,\n## c2,,\nfilename,g\nx.jpg,2.0\n', 's.csv', { comment: '##' });
    assert.deepStrictEqual(t.header, ['filename', 'g']);
    assert.strictEqual(t.rows[0].line, 4);
    const nih = parseCsv('Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]\n', 'n.csv');
    assert.strictEqual(nih.header.length, 11);
  });
  it('names the file and column for a missing column, and file:line for short rows / bad numbers', () => {
    const t = parseCsv('a,b\n1,2\n3\n', 'f.csv');
    assert.throws(() => columns(t, ['a', 'zz']), /f\.csv: missing column 'zz' \(header: a, b\)/);
    const get = columns(t, ['a', 'b']);
    assert.strictEqual(get(t.rows[0], 'b'), '2');
    assert.throws(() => get(t.rows[1], 'b'), /f\.csv:3: row has 1 fields, column 'b' is field 2/);
    assert.throws(() => numberField(t, t.rows[0], 'a', 'x1'), /f\.csv:2: column 'a': not a number: 'x1'/);
    assert.ok(Number.isNaN(numberField(t, t.rows[0], 'a', '')));
  });
});
