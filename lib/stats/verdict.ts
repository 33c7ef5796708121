/**
 * Verdicts decided by statistics: a family of comparisons (the comparisons one figure makes) becomes printed lines that
 * claim "A better than B" only where the paper's test — Student t-test over seeds (scipy ttest_ind, equal variances) or
 * Mann-Whitney over folds (bias) — is significant after Holm correction across the family; every other comparison
 * reads "no significant difference". A mean alone never decides a claim (issue 12, item 4).
 */
import { holm } from './p-adjust';
import { formatP } from './format-p';
import { tTest } from './t-test';
import { mannWhitneyU } from './mann-whitney';

export interface Comparison {
  a: string;
  b: string;
  /** Prefix of the printed line (e.g. the dataset), '' for none. */
  context?: string;
  /** The test's two-sided p when the caller already has it; else computed from the samples. */
  p?: number;
  /** Means deciding the direction when p is given without samples. */
  meanA?: number;
  meanB?: number;
  /** Per-seed / per-fold values of A and B. */
  samplesA?: readonly number[];
  samplesB?: readonly number[];
}

export interface VerdictOptions {
  /** 't' (seeds, the default) or 'mann-whitney' (folds) — used only where p must be computed from samples. */
  test?: 't' | 'mann-whitney';
  alpha?: number;
  /** Larger values are better (AUROC, Dice); false for errors. Default true. */
  higherIsBetter?: boolean;
}

export interface Verdict {
  a: string; b: string; context: string;
  meanA: number; meanB: number;
  /** Raw two-sided p (NaN when it could not be computed: fewer than 2 values on a side). */
  p: number;
  /** Holm-adjusted over the finite p of the family (NaN where p is NaN). */
  pHolm: number;
  significant: boolean;
  /** The better one when significant, else null. */
  better: string | null;
  line: string;
}

const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;

function rawP(c: Comparison, test: 't' | 'mann-whitney', i: number): number {
  if (c.p !== undefined) {
    if (!(Number.isNaN(c.p) || (c.p >= 0 && c.p <= 1))) throw new Error(`verdicts: comparison ${i} (${c.a} vs ${c.b}) has p = ${c.p}; expected a probability or NaN`);
    return c.p;
  }
  const xa = (c.samplesA ?? []).filter(Number.isFinite), xb = (c.samplesB ?? []).filter(Number.isFinite);
  if (!c.samplesA || !c.samplesB) throw new Error(`verdicts: comparison ${i} (${c.a} vs ${c.b}) has neither p nor samplesA/samplesB`);
  if (xa.length < 2 || xb.length < 2) return NaN;
  return test === 't' ? tTest(xa, xb, { equalVar: true }).p : mannWhitneyU(xa, xb).p;
}

/**
 * Decides every comparison of one family together: raw p (given or computed), Holm adjustment over the comparisons
 * that have a p, and the line. Direction comes from the means (of the samples, else meanA/meanB).
 *
 * @example
 * verdicts([{ a: 'ssl', b: 'random', samplesA: [0.81, 0.82, 0.80], samplesB: [0.70, 0.71, 0.69] }]).map((v) => v.line)
 * // ["ssl better than random (p = 3.1e-4, Holm-adjusted p = 3.1e-4)"]
 */
export function verdicts(family: readonly Comparison[], opts: VerdictOptions = {}): Verdict[] {
  const alpha = opts.alpha ?? 0.05, test = opts.test ?? 't', higher = opts.higherIsBetter ?? true;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`verdicts: alpha is ${alpha}; expected a value in (0, 1)`);
  if (test !== 't' && test !== 'mann-whitney') throw new Error(`verdicts: test is '${test}'; expected 't' or 'mann-whitney'`);
  const ps = family.map((c, i) => rawP(c, test, i));
  const finite = ps.map((p, i) => [p, i] as const).filter(([p]) => Number.isFinite(p));
  const adj = new Array<number>(ps.length).fill(NaN);
  if (finite.length) holm(finite.map(([p]) => p)).forEach((h, k) => { adj[finite[k][1]] = h; });
  return family.map((c, i) => {
    const fa = c.samplesA?.filter(Number.isFinite), fb = c.samplesB?.filter(Number.isFinite);
    const meanA = fa && fa.length ? mean(fa) : c.meanA ?? NaN;
    const meanB = fb && fb.length ? mean(fb) : c.meanB ?? NaN;
    const p = ps[i], pHolm = adj[i];
    const significant = Number.isFinite(pHolm) && pHolm <= alpha && meanA !== meanB;
    const aWins = higher ? meanA > meanB : meanA < meanB;
    const better = significant ? (aWins ? c.a : c.b) : null;
    const worse = better === c.a ? c.b : c.a;
    const pre = c.context ? `${c.context}: ` : '';
    let line: string;
    if (!Number.isFinite(p)) line = `${pre}${c.a} vs ${c.b} not tested (fewer than 2 values on a side)`;
    else if (significant) line = `${pre}${better} better than ${worse} (${formatP(p)}, Holm-adjusted ${formatP(pHolm)})`;
    else line = `${pre}no significant difference between ${c.a} and ${c.b} (${formatP(p)}, Holm-adjusted ${formatP(pHolm)})`;
    return { a: c.a, b: c.b, context: c.context ?? '', meanA, meanB, p, pHolm, significant, better, line };
  });
}

/**
 * `verdicts` for a figure whose comparisons come in groups (one per dataset, task, panel): Holm runs over ALL the
 * comparisons of every group together — the figure is the family — and each group gets its own verdicts back, in order.
 * A group with no comparison gets [].
 */
export function groupedVerdicts<T extends { family: readonly Comparison[] }>(groups: readonly T[], opts: VerdictOptions = {}): (T & { verdicts: Verdict[] })[] {
  const all = groups.flatMap((g) => g.family);
  const v = all.length ? verdicts(all, opts) : [];
  let at = 0;
  return groups.map((g) => {
    const mine = v.slice(at, at + g.family.length);
    at += g.family.length;
    return { ...g, verdicts: mine };
  });
}
