import * as assert from 'assert';
import { buildPlan, planSpecs, resolveSyntheticOptions, samplePhantomSpec, FINDING_NAMES } from '../../lib/data/synthetic';
import { createRng } from '../../lib/engine/rng';
import { buildReportCorpus, extractFacts, writeReport } from '../../lib/text';

const OPTS = { variant: 'cxr', n: 400, size: 64, seed: 3 } as const;

describe('synthetic report corpus', () => {
  const corpus = buildReportCorpus(OPTS as any, 13);

  it('same ids and splits as the synthetic plan, one report each', () => {
    const plan = buildPlan(resolveSyntheticOptions(OPTS as any));
    assert.deepStrictEqual(corpus.map((r) => [r.id, r.split]), plan.map((p) => [p.id, p.split]));
    for (const r of corpus) assert.ok(r.findings.trim().length > 0 && r.indication.length > 0, r.id);
  });

  it('deterministic per seed; another seed changes the wording, not the truth', () => {
    assert.deepStrictEqual(buildReportCorpus(OPTS as any, 13), corpus);
    const other = buildReportCorpus(OPTS as any, 14);
    assert.ok(other.filter((r, i) => r.findings !== corpus[i].findings).length > corpus.length / 2);
    assert.deepStrictEqual(other.map((r) => r.labels), corpus.map((r) => r.labels));
  });

  it('the labeller reads back the structured truth and the drawn findings of every report', () => {
    const specs = planSpecs(resolveSyntheticOptions(OPTS as any), buildPlan(resolveSyntheticOptions(OPTS as any)));
    corpus.forEach((r, i) => {
      const f = extractFacts(r.findings);
      assert.deepStrictEqual(f.entities, r.entities, r.findings);
      assert.deepStrictEqual(f.relations, r.relations, r.findings);
      assert.deepStrictEqual(r.labels, FINDING_NAMES.map((n) => specs[i].truth[n]), `${r.id}: ${r.findings}`);
    });
  });

  it('wording varies: hedges, pertinent negatives and several phrasings occur', () => {
    const text = corpus.map((r) => r.findings).join(' ');
    for (const w of ['Possible', 'No pneumothorax', 'Heart size is normal', 'cannot be excluded']) assert.ok(text.includes(w), w);
    assert.ok(corpus.some((r) => r.entities.some((e) => e.endsWith('|uncertain'))));
    assert.ok(new Set(corpus.map((r) => r.findings)).size > corpus.length * 0.6);
  });

  it('a planted effusion is described with its side and severity', () => {
    const spec = samplePhantomSpec(createRng(5), { findings: ['Effusion'] });
    const r = writeReport(spec, 'x', 1);
    const side = spec.findings[0].side === 'both' ? 'both' : spec.findings[0].side;
    assert.ok(r.relations.includes(`Effusion|side|${side}`), JSON.stringify(r));
    assert.ok(r.relations.some((x) => x.startsWith('Effusion|severity|')));
  });

  it('non-cxr studies have no report: the error names the study', () => {
    const spec = samplePhantomSpec(createRng(1), { variant: 'spine' });
    assert.throws(() => writeReport(spec, 'syn-spine-000001', 1), /study syn-spine-000001 is of variant 'spine'/);
  });
});
