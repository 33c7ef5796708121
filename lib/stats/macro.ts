/**
 * Macro-averaged AUROC and AUPRC over classes (paper Fig. 2a, 3a): the unweighted mean of the per-class
 * metric over the classes where it is defined. Classes that cannot be scored are listed in `skipped`,
 * never silently scored: AUROC skips a class whose known test labels hold one value; AUPRC skips a class
 * with no known positive. NaN labels are unknown and dropped per class (see columns.ts).
 * Layout, `opts.layout`: 'classes' = one array per class, Y[c][i] / S[c][i] (column-major, this module's own);
 * 'samples' = one array per sample, Y[i][c] / S[i][c] (scikit-learn's y_true / y_score of shape
 * (n_samples, n_classes)). Pass it. Without it the shape decides only by the rule "fewer classes than samples"
 * (more arrays than entries per array → 'samples', fewer → 'classes'); a square or ragged matrix is an error,
 * never a guess.
 */
import { auroc } from './auroc';
import { averagePrecision } from './average-precision';
import { checkMultiLabel, classColumn, toColumns } from './columns';
import { Vector } from './validate';

export interface MacroResult {
  /** Metric per class; NaN for a skipped class. */
  perClass: number[];
  /** Mean over scored classes; NaN if every class was skipped. */
  macro: number;
  /** Indices of the classes left out. */
  skipped: number[];
}

function macroOf(fn: string, Y: ReadonlyArray<Vector>, S: ReadonlyArray<Vector>, classes: number[],
  defined: (pos: number, n: number) => boolean, metric: (l: Float64Array, s: Float64Array) => number): MacroResult {
  checkMultiLabel(fn, Y, S);
  const perClass: number[] = new Array(Y.length).fill(NaN);
  const skipped: number[] = [];
  let sum = 0;
  let count = 0;
  for (const c of classes) {
    if (!Number.isInteger(c) || c < 0 || c >= Y.length) throw new Error(`${fn}: class index ${c} out of range [0, ${Y.length})`);
    const { labels, scores } = classColumn(fn, Y, S, c);
    let pos = 0;
    for (let i = 0; i < labels.length; i++) pos += labels[i];
    if (!defined(pos, labels.length)) { skipped.push(c); continue; }
    const v = metric(labels, scores);
    perClass[c] = v;
    sum += v;
    count++;
  }
  return { perClass, macro: count > 0 ? sum / count : NaN, skipped };
}

export type MultiLabelLayout = 'classes' | 'samples';

export interface LayoutOption {
  /** 'classes': Y[c][i] (one array per class); 'samples': Y[i][c] (sklearn's (n_samples, n_classes)). */
  layout?: MultiLabelLayout;
}

/**
 * Y and S as per-class columns. Without an explicit layout the shape must settle it (see the module comment); the
 * number of classes, when the caller knows it (binnedMacroAuprc's prevalences), settles it too.
 */
function asColumns(fn: string, Y: ReadonlyArray<Vector>, S: ReadonlyArray<Vector>, layout: MultiLabelLayout | undefined,
  nClasses?: number): { Y: ReadonlyArray<Vector>; S: ReadonlyArray<Vector> } {
  if (!Array.isArray(Y) || !Array.isArray(S)) throw new Error(`${fn}: Y and S must be arrays (per class or per sample)`);
  if (layout !== undefined && layout !== 'classes' && layout !== 'samples') {
    throw new Error(`${fn}: invalid layout '${layout}' (expected 'classes' or 'samples')`);
  }
  let l = layout;
  if (l === undefined && Y.length === 0) l = 'classes'; // checkMultiLabel names the empty input
  if (l === undefined) {
    const outer = Y.length;
    const inner = outer > 0 && Y[0] && typeof Y[0].length === 'number' ? Y[0].length : undefined;
    const ragged = inner === undefined || Y.some((r) => !r || r.length !== inner);
    const hint = `pass { layout: 'samples' } for sklearn's (n_samples, n_classes) or { layout: 'classes' } for one array per class`;
    if (ragged) throw new Error(`${fn}: cannot tell the layout of Y (${outer} arrays of unequal or unknown length); ${hint}`);
    if (nClasses !== undefined && (outer === nClasses) !== (inner === nClasses)) l = outer === nClasses ? 'classes' : 'samples';
    else if (outer === inner) throw new Error(`${fn}: Y is ${outer} × ${inner}, so classes and samples cannot be told apart; ${hint}`);
    else l = outer < inner! ? 'classes' : 'samples';
  }
  if (l === 'classes') return { Y, S };
  const rows = (name: string, M: ReadonlyArray<Vector>): Float64Array[] => {
    try {
      return toColumns(M);
    } catch (e) {
      throw new Error(`${fn}: ${name} (per-sample rows): ${(e as Error).message.replace(/^toColumns: /, '')}`);
    }
  };
  if (Y.length !== S.length) throw new Error(`${fn}: length mismatch: Y has ${Y.length} samples, S has ${S.length}`);
  return { Y: rows('Y', Y), S: rows('S', S) };
}

const allClasses = (Y: ReadonlyArray<Vector>): number[] => Array.from({ length: Y.length }, (_, c) => c);

/** Macro AUROC (= mean of sklearn roc_auc_score per class over the classes with both labels present). */
export function macroAuroc(Y: ReadonlyArray<Vector>, S: ReadonlyArray<Vector>, opts: LayoutOption = {}): MacroResult {
  const c = asColumns('macroAuroc', Y, S, opts.layout);
  return macroOf('macroAuroc', c.Y, c.S, allClasses(c.Y), (p, n) => p > 0 && p < n, auroc);
}

/** Macro AUPRC (= mean of sklearn average_precision_score per class over the classes with ≥ 1 positive). */
export function macroAuprc(Y: ReadonlyArray<Vector>, S: ReadonlyArray<Vector>, opts: LayoutOption = {}): MacroResult {
  const c = asColumns('macroAuprc', Y, S, opts.layout);
  return macroOf('macroAuprc', c.Y, c.S, allClasses(c.Y), (p) => p > 0, averagePrecision);
}

export interface AuprcBin {
  name: string;
  /** Prevalence bounds of the bin (which bound is inclusive: see binnedMacroAuprc). */
  lo: number;
  hi: number;
  /** Classes whose training prevalence falls in the bin. */
  members: number[];
  /** Macro AUPRC over the scored members (NaN if none). */
  macro: number;
  /** Members skipped (no positive among the known test labels). */
  skipped: number[];
}

/**
 * AUPRC macro-averaged within training-prevalence bins (paper Fig. 3a): with the default edges
 * [0.01, 0.10], rare = prevalence < 1 %, uncommon = 1 % ≤ p ≤ 10 %, common = p > 10 % (the paper's
 * "common > 10 %, uncommon 1–10 %, rare < 1 %"). In general, with edges e0 < e1 < …: bin 0 is p < e0, bin 1 is
 * e0 ≤ p ≤ e1, bin k ≥ 2 is e_{k−1} < p ≤ e_k, the last bin p > e_last. Names default to rare/uncommon/common
 * for two edges, else "bin0", "bin1", ….
 * @param trainPrevalence fraction of positive training labels per class, in [0, 1]; without opts.layout its length
 *   (the number of classes) settles the layout when exactly one side of Y matches it.
 */
export function binnedMacroAuprc(Yin: ReadonlyArray<Vector>, Sin: ReadonlyArray<Vector>, trainPrevalence: Vector,
  opts: { edges?: number[]; names?: string[] } & LayoutOption = {}): { bins: AuprcBin[]; perClass: number[] } {
  const fn = 'binnedMacroAuprc';
  const { Y, S } = asColumns(fn, Yin, Sin, opts.layout, trainPrevalence?.length);
  checkMultiLabel(fn, Y, S);
  if (trainPrevalence.length !== Y.length) {
    throw new Error(`${fn}: length mismatch: trainPrevalence has ${trainPrevalence.length} entries, Y has ${Y.length} classes`);
  }
  const edges = opts.edges ?? [0.01, 0.1];
  for (let k = 0; k < edges.length; k++) {
    if (!(edges[k] > 0 && edges[k] < 1) || (k > 0 && !(edges[k] > edges[k - 1]))) {
      throw new Error(`${fn}: edges must be increasing values in (0, 1), got [${edges}]`);
    }
  }
  const names = opts.names ?? (edges.length === 2 ? ['rare', 'uncommon', 'common'] : edges.concat(1).map((_, k) => `bin${k}`));
  if (names.length !== edges.length + 1) throw new Error(`${fn}: ${edges.length} edges need ${edges.length + 1} names, got ${names.length}`);
  const binOf = (p: number, c: number): number => {
    if (!(p >= 0 && p <= 1)) throw new Error(`${fn}: trainPrevalence[${c}] is ${p}; expected a fraction in [0, 1]`);
    let b = 0;
    while (b < edges.length && (b === 0 ? p >= edges[0] : p > edges[b])) b++;
    return b;
  };
  const bins: AuprcBin[] = names.map((name, k) => ({
    name, lo: k === 0 ? 0 : edges[k - 1], hi: k === edges.length ? 1 : edges[k], members: [], macro: NaN, skipped: [],
  }));
  for (let c = 0; c < Y.length; c++) bins[binOf(trainPrevalence[c], c)].members.push(c);
  const perClass: number[] = new Array(Y.length).fill(NaN);
  for (const bin of bins) {
    const r = macroOf(fn, Y, S, bin.members, (p) => p > 0, averagePrecision);
    bin.macro = r.macro;
    bin.skipped = r.skipped;
    for (const c of bin.members) perClass[c] = r.perClass[c];
  }
  return { bins, perClass };
}

/** A training-prevalence bin of Fig. 3 (MIMIC-CXR-LT): common > 10 %, uncommon 1–10 %, rare < 1 %. */
export type FrequencyBin = 'common' | 'uncommon' | 'rare';

/** Frequency bin of a training prevalence, with binnedMacroAuprc's rule: rare p < 1 %, uncommon 1 % ≤ p ≤ 10 %, common p > 10 %. */
export function frequencyBin(p: number, edges: readonly [number, number] = [0.01, 0.1]): FrequencyBin {
  if (!(p >= 0 && p <= 1)) throw new Error(`frequencyBin: invalid prevalence: ${p}`);
  return p < edges[0] ? 'rare' : p <= edges[1] ? 'uncommon' : 'common';
}
