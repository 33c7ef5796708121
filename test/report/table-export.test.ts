import { strict as assert } from 'assert';
import * as aq from 'arquero';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { saveTable } from '../../lib/report/save-table';
import { collectProvenance, Provenance } from '../../lib/engine/provenance';
import { latexEscape, toCsv, toLatex, toMarkdown } from '../../lib/report/table-export';

const rows = [
  { model: 'RayDINO', auroc: 0.8712345, n: 120, note: 'a, "b"' },
  { model: 'random_init', auroc: NaN, n: 80, note: null },
];

describe('table export', () => {
  it('CSV: full precision, RFC 4180 quoting, NaN/null empty', () => {
    assert.equal(toCsv(rows), 'model,auroc,n,note\nRayDINO,0.8712345,120,"a, ""b"""\nrandom_init,,80,\n');
  });

  it('arquero tables keep their column order', () => {
    const t = aq.table({ b: [1.5, 2], a: ['x', 'y'] });
    assert.equal(toCsv(t), 'b,a\n1.5,x\n2,y\n');
  });

  it('Markdown: rounded numbers, right-aligned numeric columns, escaped pipes', () => {
    assert.equal(toMarkdown([{ k: 'a|b', v: 1 / 3 }, { k: 'c', v: 2 }], { digits: 2 }),
      '| k | v |\n|:---|---:|\n| a\\|b | 0.33 |\n| c | 2 |\n');
    assert.equal(toMarkdown(rows), '| model | auroc | n | note |\n|:---|---:|---:|:---|\n| RayDINO | 0.871 | 120 | a, "b" |\n| random_init | – | 80 |  |\n');
  });

  it('LaTeX: booktabs, escaped text, caption and label', () => {
    assert.equal(toLatex([{ 'task_name': '50% & up', v: 0.24 }], { caption: 'AUROC #1', label: 'tab:x', digits: 1 }), [
      '\\begin{table}[ht]', '\\centering', '\\caption{AUROC \\#1}', '\\label{tab:x}', '\\begin{tabular}{lr}', '\\toprule',
      'task\\_name & v \\\\', '\\midrule', '50\\% \\& up & 0.2 \\\\', '\\bottomrule', '\\end{tabular}', '\\end{table}', '',
    ].join('\n'));
    assert.equal(latexEscape('a_b{c}~^\\'), 'a\\_b\\{c\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{}');
  });

  it('per-column formatters win', () => {
    assert.equal(toMarkdown([{ p: 0.0001 }], { format: { p: (v) => (v as number).toExponential(1) } }), '| p |\n|---:|\n| 1.0e-4 |\n');
  });
});

describe('saveTable', () => {
  let provenance: Provenance;
  before(async () => { provenance = await collectProvenance({ profile: 'quick', workers: 1 }); });
  it('writes csv, md, tex and a provenance sidecar', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-tab-'));
    try {
      const out = await saveTable(rows, 'table-s2', { dir, caption: 'x', provenance });
      assert.deepEqual(fs.readdirSync(dir).sort(), ['table-s2.csv', 'table-s2.md', 'table-s2.table.json', 'table-s2.tex']);
      assert.equal(fs.readFileSync(out.csv, 'utf8'), toCsv(rows));
      assert.equal(fs.readFileSync(out.md, 'utf8'), toMarkdown(rows));
      assert.match(fs.readFileSync(out.tex, 'utf8'), /\\label\{tab:table-s2\}/);
      const side = JSON.parse(fs.readFileSync(out.json, 'utf8'));
      assert.equal(side.table, 'table-s2');
      assert.equal(side.provenance.package, 'raydino-lab');
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('throws naming the table on zero rows (array or arquero) and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-tab-'));
    try {
      await assert.rejects(saveTable([], 'empty-one', { dir, provenance }), /table 'empty-one'.*has no rows/);
      const aq = await import('arquero');
      const joined = aq.from([{ model: 'a', g: 'F', v: 1 }]).join(aq.from([{ model: 'a', g: 'F', p: 0.1 }]), ['model', 'g']);
      assert.equal(joined.numRows(), 0); // arquero reads ['model', 'g'] as left key 'model' vs right key 'g'
      await assert.rejects(saveTable(joined, 'fig4c-sex-folds', { dir, provenance }), /table 'fig4c-sex-folds'.*has no rows \(columns: model_1/);
      assert.deepEqual(fs.readdirSync(dir), []);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
