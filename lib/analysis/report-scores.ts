/**
 * Scores of generated reports against the reference reports (RayDINO Table S1): BLEU-4 and ROUGE-L (pycocoevalcap
 * semantics), Macro-/Micro-F1-14 of the rule labeller against the reference reports' labels, labeller-vector cosine
 * (stand-in for CheXbert similarity), entity and relation F1 against the generator's structured truth (stand-in for
 * RadGraph-F1) — each a median with a 95 % CI over bootstrap resamples of the test reports — paired tests between two
 * writers, and the verdict sentences. RadCliQ is a fitted combination of model-based metrics whose models we do not
 * have: it is not reported.
 */
import { bootstrapCI, pairedBootstrapDiff } from '../stats/bootstrap';
import { bleuColumns, bleuFromColumns, rougeLDetailed } from '../text/metrics';
import { binaryLabels, chexpertF1, extractFacts, labelCosine, setF1 } from '../text/labeller';
import type { ReportRecord } from '../text/corpus';
import { tokenize } from '../text/tokenize';

export const REPORT_METRICS = ['BLEU-4', 'ROUGE-L', 'Macro-F1-14', 'Micro-F1-14', 'labeller cosine', 'entity F1', 'relation F1'] as const;

export interface ScoreRow { model: string; metric: string; median: number; lo: number; hi: number; estimate: number; n: number; label: string }

type MetricSpec = [string, (...a: any[]) => number, any[]]; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Per-study columns and the corpus-level function of each metric (BLEU-4 and F1-14 are corpus-level, not means). */
function metricSpecs(model: string, refs: ReportRecord[], hyps: string[]): MetricSpec[] {
  if (refs.length !== hyps.length) throw new Error(`scoreReports ${model}: ${refs.length} references, ${hyps.length} generated reports`);
  refs.forEach((r, i) => {
    if (!r || typeof r.findings !== 'string' || !r.findings.trim()) throw new Error(`scoreReports ${model}: test study ${r?.id ?? `#${i}`} has no reference report; a study without a report cannot be scored`);
    if (typeof hyps[i] !== 'string') throw new Error(`scoreReports ${model}: the report generated for ${r.id} is not a string`);
  });
  const refTok = refs.map((r) => [tokenize(r.findings)]);
  // the labeller reads the raw text (sentence ends mark its clauses); BLEU / ROUGE-L the PTB-style tokens
  const hypTok = hyps.map((h) => tokenize(h));
  // An empty generation is scored as it is (zero overlap), never dropped: it is the model's answer for that study.
  const bleuCols = bleuColumns(refTok, hypTok, 4);
  const rouge = Float64Array.from(rougeLDetailed(refTok, hypTok).perSample);
  const predL = hyps.map((h) => binaryLabels(h));
  const refL = refs.map((r) => r.labels);
  const labelCols = [...Array.from({ length: 14 }, (_, k) => Float64Array.from(predL.map((v) => v[k]))), ...Array.from({ length: 14 }, (_, k) => Float64Array.from(refL.map((v) => v[k])))];
  const toRows = (cols: Float64Array[]) => { const N = cols[0].length; return [Array.from({ length: N }, (_, i) => cols.slice(0, 14).map((c) => c[i])), Array.from({ length: N }, (_, i) => cols.slice(14).map((c) => c[i]))]; };
  const cos = Float64Array.from(labelCosine(predL, refL));
  const facts = hyps.map((h) => extractFacts(h));
  const ent = Float64Array.from(facts.map((f, i) => setF1(f.entities, refs[i].entities)));
  const rel = Float64Array.from(facts.map((f, i) => setF1(f.relations, refs[i].relations)));
  const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
  return [
    ['BLEU-4', (c: Float64Array[]) => bleuFromColumns(c, 4), [bleuCols]],
    ['ROUGE-L', mean, [rouge]],
    ['Macro-F1-14', (c: Float64Array[]) => { const [p, t] = toRows(c); return chexpertF1(p, t).macro; }, [labelCols]],
    ['Micro-F1-14', (c: Float64Array[]) => { const [p, t] = toRows(c); return chexpertF1(p, t).micro; }, [labelCols]],
    ['labeller cosine', mean, [cos]],
    ['entity F1', mean, [ent]],
    ['relation F1', mean, [rel]],
  ];
}

/** Every metric of one writer on the test reports, median [95 % CI] over `bootstrapN` resamples of the reports. */
export function scoreReports(model: string, refs: ReportRecord[], hyps: string[], o: { bootstrapN: number; seed: number }): ScoreRow[] {
  return metricSpecs(model, refs, hyps).map(([metric, fn, arrays]) => {
    const b = bootstrapCI(fn, arrays, { n: o.bootstrapN, seed: o.seed });
    return { model, metric, median: b.median, lo: b.lo, hi: b.hi, estimate: b.estimate, n: refs.length, label: `${b.median.toFixed(3)} [${b.lo.toFixed(3)}, ${b.hi.toFixed(3)}]` };
  });
}

export interface PairedRow {
  a: string; b: string; metric: string;
  /** metric(a) − metric(b): on the test set, and median [CI] over the paired resamples. */
  estimate: number; median: number; lo: number; hi: number;
  p: number; significant: boolean; n: number; label: string;
}

/**
 * Paired tests between two writers on the same test studies (Table S1's "paired tests between encoders"): for every
 * metric, metric(a) − metric(b) over `bootstrapN` resamples, the same resamples `scoreReports` draws with this seed and
 * row count. `significant` when p < alpha (two-sided) — the only case in which the notebook claims a difference.
 */
export function compareWriters(a: { model: string; generated: string[] }, b: { model: string; generated: string[] }, refs: ReportRecord[], o: { bootstrapN: number; seed: number; alpha?: number }): PairedRow[] {
  const alpha = o.alpha ?? 0.05;
  const sa = metricSpecs(a.model, refs, a.generated), sb = metricSpecs(b.model, refs, b.generated);
  return sa.map(([metric, fn, arrays], k) => {
    const d = pairedBootstrapDiff(fn, arrays, sb[k][2], { n: o.bootstrapN, seed: o.seed, alpha });
    const sign = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
    return {
      a: a.model, b: b.model, metric, estimate: d.estimate, median: d.median, lo: d.lo, hi: d.hi, p: d.p, significant: d.p < alpha, n: refs.length,
      label: `${sign(d.median)} [${sign(d.lo)}, ${sign(d.hi)}], p ${d.p < 1 / o.bootstrapN ? `< ${(1 / o.bootstrapN).toFixed(3)}` : `= ${d.p.toFixed(3)}`}`,
    };
  });
}

/** Below this gain in nats per findings token (`imageUse`) a writer is not reading its image: pure-noise features give
 * |gain| ≤ 0.002, the supervised baseline's tokens 0.076 and the true labels 0.25 in notebook 08's quick recipe
 * (docs/eval.md §6). */
export const IMAGE_USE_MIN_GAIN = 0.01;

/**
 * One verdict sentence per paired row: a difference is claimed only where the paired test is significant. With
 * `gains` (each writer's `imageUse` gain), a significant difference between two writers that both ignore their image
 * is not credited to either encoder: the bootstrap covers the test studies, not the fine-tune's randomness, which is
 * then all that separates them.
 */
export function pairedVerdict(r: PairedRow, alpha = 0.05, gains?: { a: number; b: number }): string {
  const blind = gains !== undefined && gains.a < IMAGE_USE_MIN_GAIN && gains.b < IMAGE_USE_MIN_GAIN;
  const what = !r.significant ? `no significant difference at α = ${alpha}`
    : blind ? `not attributable to the encoders: neither writer uses its image (gain ${gains!.a.toFixed(3)} / ${gains!.b.toFixed(3)} nats/token < ${IMAGE_USE_MIN_GAIN}), so the difference is fine-tuning noise`
    : r.median > 0 ? `${r.a} better` : `${r.b} better`;
  return `${r.metric}: ${r.a} − ${r.b} = ${r.label} → ${what}`;
}

/** Generated text with the words absent from the reference in [brackets] (Fig 2g's highlighted differences). */
export function highlightDifferences(reference: string, generated: string): string {
  const ref = new Set(tokenize(reference).split(' '));
  return tokenize(generated).split(' ').map((w) => (ref.has(w) ? w : `[${w}]`)).join(' ');
}
