import * as assert from 'assert';
import * as aq from 'arquero';
import { compareWriters, highlightDifferences, pairedVerdict, scoreReports } from '../../lib/analysis/report-scores';
import { mostCommonReport, reportCorpusFor, reportFromLabels } from '../../lib/text/report-training';
import { buildReportCorpus } from '../../lib/text';

describe('report-generation scoring', () => {
  const corpus = buildReportCorpus({ variant: 'cxr', n: 200, size: 64, seed: 1 } as never, 13);
  const test = corpus.filter((r) => r.split !== 'train').slice(0, 40);

  it('the reference itself scores 1 on every metric (CI collapses to 1)', () => {
    const rows = scoreReports('oracle', test, test.map((r) => r.findings), { bootstrapN: 50, seed: 0 });
    for (const r of rows.filter((x) => x.metric !== 'Macro-F1-14')) assert.ok(Math.abs(r.median - 1) < 1e-6 && Math.abs(r.lo - 1) < 1e-6, `${r.metric} ${r.label}`);
    // sklearn's zero_division=0: a class with no positive in reference or output scores 0, so the oracle's Macro-F1-14
    // is the fraction of the 14 classes present in the test reports
    const present = Array.from({ length: 14 }, (_, k) => test.some((r) => r.labels[k] === 1)).filter(Boolean).length;
    assert.ok(Math.abs(rows.find((r) => r.metric === 'Macro-F1-14')!.estimate - present / 14) < 1e-12);
  });

  it('floors score below the reference and the label writer finds the labels', () => {
    const common = mostCommonReport(corpus);
    const a = scoreReports('common', test, test.map(() => common), { bootstrapN: 50, seed: 0 });
    const labelsOf = (r: (typeof test)[number]) => Object.fromEntries(['Effusion', 'Support Devices', 'Atelectasis', 'Cardiomegaly', 'Consolidation', 'Nodule', 'Pneumothorax', 'Edema', 'Emphysema', 'Mass', 'Pleural Thickening', 'Fracture', 'Calcification', 'Hernia'].map((n, k) => [n, r.labels[k]]));
    const b = scoreReports('labels', test, test.map((r) => reportFromLabels(labelsOf(r))), { bootstrapN: 50, seed: 0 });
    const get = (rows: typeof a, m: string) => rows.find((r) => r.metric === m)!.median;
    assert.ok(get(a, 'BLEU-4') < 0.9 && get(a, 'BLEU-4') > 0);
    assert.ok(Math.abs(get(b, 'Micro-F1-14') - 1) < 1e-9, 'label writer reproduces the reference labels');
    assert.ok(get(b, 'relation F1') < 1);
  });

  it('highlights words absent from the reference', () => {
    assert.strictEqual(highlightDifferences('Small left effusion.', 'small right effusion'), 'small [right] effusion');
  });

  it('paired tests: oracle vs most common report differs significantly, a writer vs itself does not', () => {
    const common = mostCommonReport(corpus);
    const oracle = { model: 'oracle', generated: test.map((r) => r.findings) };
    const floor = { model: 'common', generated: test.map(() => common) };
    const rows = compareWriters(oracle, floor, test, { bootstrapN: 100, seed: 0 });
    assert.deepStrictEqual(rows.map((r) => r.metric), ['BLEU-4', 'ROUGE-L', 'Macro-F1-14', 'Micro-F1-14', 'labeller cosine', 'entity F1', 'relation F1']);
    // the difference on the test set is the difference of the two writers' own estimates
    const sa = scoreReports('oracle', test, oracle.generated, { bootstrapN: 100, seed: 0 });
    const sb = scoreReports('common', test, floor.generated, { bootstrapN: 100, seed: 0 });
    rows.forEach((r, k) => assert.ok(Math.abs(r.estimate - (sa[k].estimate - sb[k].estimate)) < 1e-12, r.metric));
    for (const r of rows) {
      assert.ok(r.significant && r.lo > 0 && r.p < 0.05, pairedVerdict(r));
      assert.match(pairedVerdict(r), /→ oracle better$/);
      assert.match(pairedVerdict(r, 0.05, { a: 0.2, b: 0.001 }), /→ oracle better$/);
      assert.match(pairedVerdict(r, 0.05, { a: 0.004, b: -0.001 }), /→ not attributable to the encoders: neither writer uses its image/);
      if (r.p === 0) assert.match(r.label, /, p < 0\.010$/); // below the resolution of 100 resamples
    }
    assert.ok(rows.some((r) => r.p === 0), 'some difference lies beyond every resample');
    const self = compareWriters(floor, { ...floor, model: 'common again' }, test, { bootstrapN: 100, seed: 0 });
    for (const r of self) {
      assert.deepStrictEqual([r.median, r.lo, r.hi, r.p, r.significant], [0, 0, 0, 1, false]);
      assert.match(r.label, /^\+0\.000 \[\+0\.000, \+0\.000\], p = 1\.000$/);
      assert.match(pairedVerdict(r), /no significant difference at α = 0.05$/);
    }
  });

  it('bad input: a study without a report is an error naming it; empty generations are scored as zero overlap', () => {
    const data = { nTrain: 40, nVal: 5, nTest: 5, imageSize: 64 };
    const table = (id: string, split: string) => ({ dataset: 'synthetic-cxr', table: aq.table({ id: [id], split: [split] }), labelNames: [] }) as never;
    assert.throws(() => reportCorpusFor(table('syn-x', 'train'), data, 13), /sample syn-x of synthetic-cxr has no report/);
    const noReport = [{ ...test[0], findings: '  ' }, ...test.slice(1, 5)];
    assert.throws(() => scoreReports('m', noReport, noReport.map(() => 'no pneumothorax.'), { bootstrapN: 10, seed: 0 }), new RegExp(`test study ${test[0].id} has no reference report`));
    // an empty or whitespace-only generation is the model's answer for that study: scored, never dropped
    const five = test.slice(0, 5);
    const rows = scoreReports('m', five, ['', '   ', ...five.slice(2).map((r) => r.findings)], { bootstrapN: 10, seed: 0 });
    const rouge = rows.find((r) => r.metric === 'ROUGE-L')!;
    assert.ok(Math.abs(rouge.estimate - 3 / 5) < 1e-12, `${rouge.estimate}`);
    assert.strictEqual(rows[0].n, 5);
  });
});
