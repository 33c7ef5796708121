import * as assert from 'assert';
import { highlightDifferences, mostCommonReport, reportFromLabels, scoreReports } from '../../lib/study/report-generation';
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
});
