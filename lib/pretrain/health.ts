/**
 * Collapse diagnostics of a DINO/iBOT step, logged every step (docs/pretrain.md, "Health figures").
 *
 * DINO has two ways to fail without an error (Caron et al. 2021 §5.3): every image sent to the same prototype (target
 * entropy → 0), or every image sent to the uniform distribution (entropy → log K, loss pinned at log K). The second is
 * what small runs on near-identical phantoms do; it shows first in the prototype logits (within-row sd → 0: the head's
 * output no longer depends on the prototype) and in the backbone (CLS tokens of different images align: mean pairwise
 * cosine → 1, effective rank → 1). These functions read plain arrays, so the data-parallel driver can compute them on the
 * main thread from what the workers send back.
 */
import { jacobiEigen } from '../stats/eigen';

/** Mean Shannon entropy (nats) of the rows of a row-stochastic [n, k] matrix; log k = uniform. */
export function meanRowEntropy(p: ArrayLike<number>, n: number, k: number): number {
  if (p.length !== n * k) throw new Error(`meanRowEntropy: ${p.length} values for ${n}×${k}`);
  let h = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) {
    const v = p[i * k + j];
    if (v > 0) h -= v * Math.log(v);
  }
  return h / n;
}

/** Mean over rows of the (population) standard deviation within each row of an [n, k] logit matrix. */
export function meanRowSd(x: ArrayLike<number>, n: number, k: number): number {
  if (x.length !== n * k) throw new Error(`meanRowSd: ${x.length} values for ${n}×${k}`);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < k; j++) m += x[i * k + j];
    m /= k;
    let v = 0;
    for (let j = 0; j < k; j++) v += (x[i * k + j] - m) ** 2;
    acc += Math.sqrt(v / k);
  }
  return acc / n;
}

/** Mean cosine similarity over the n(n−1)/2 pairs of distinct rows of an [n, d] matrix. */
export function meanPairwiseCosine(x: ArrayLike<number>, n: number, d: number): number {
  if (n < 2) throw new Error(`meanPairwiseCosine: needs at least 2 rows, got ${n}`);
  const u = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
    const r = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < d; j++) u[i * d + j] = x[i * d + j] * r;
  }
  // Σ_{i≠j} cos = |Σ u_i|² − Σ |u_i|²
  const sum = new Float64Array(d);
  let self = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) { sum[j] += u[i * d + j]; self += u[i * d + j] ** 2; }
  let tot = 0;
  for (let j = 0; j < d; j++) tot += sum[j] ** 2;
  return (tot - self) / (n * (n - 1));
}

/**
 * Effective rank (Roy & Vetterli 2007) of the row-centred [n, d] matrix: exp of the Shannon entropy of its normalised
 * singular values. 1 = all rows on one line; min(n − 1, d) = singular values all equal.
 */
export function effectiveRank(x: ArrayLike<number>, n: number, d: number): number {
  if (n < 2) throw new Error(`effectiveRank: needs at least 2 rows, got ${n}`);
  const c = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j];
    m /= n;
    for (let i = 0; i < n; i++) c[i * d + j] = x[i * d + j] - m;
  }
  // singular values² = eigenvalues of the smaller Gram matrix
  const small = Math.min(n, d);
  const g = new Float64Array(small * small);
  if (n <= d) {
    for (let a = 0; a < n; a++) for (let b = a; b < n; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += c[a * d + j] * c[b * d + j];
      g[a * n + b] = g[b * n + a] = s;
    }
  } else {
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += c[i * d + a] * c[i * d + b];
      g[a * d + b] = g[b * d + a] = s;
    }
  }
  const sv = jacobiEigen(g, small).values.map((v) => Math.sqrt(Math.max(v, 0)));
  const total = sv.reduce((a, b) => a + b, 0);
  if (total <= 0) return 1;
  let h = 0;
  for (const s of sv) if (s > 0) { const p = s / total; h -= p * Math.log(p); }
  return Math.exp(h);
}

/** The health figures of one step (all from the global crops of the whole batch). */
export interface StepHealth {
  /** Mean entropy of the teacher's DINO targets (after centring / Sinkhorn-Knopp), nats. */
  teacher_entropy: number;
  /** Mean entropy of the student's DINO softmax on the global crops, nats. */
  student_entropy: number;
  /** Mean within-row sd of the teacher's DINO prototype logits (cosine similarities). */
  logit_row_sd: number;
  /** Mean pairwise cosine of the teacher backbone's CLS tokens across the global crops. */
  cls_cosine: number;
  /** Effective rank of the teacher backbone's CLS tokens across the global crops. */
  cls_effective_rank: number;
}

/** Health figures from the teacher's logits / targets / CLS tokens (rows = global crops) and the student's entropy. */
export function stepHealth(t: { logits: ArrayLike<number>; probs: ArrayLike<number>; cls: ArrayLike<number>; rows: number; prototypes: number; dim: number }, studentEntropy: number): StepHealth {
  return {
    teacher_entropy: meanRowEntropy(t.probs, t.rows, t.prototypes),
    student_entropy: studentEntropy,
    logit_row_sd: meanRowSd(t.logits, t.rows, t.prototypes),
    cls_cosine: meanPairwiseCosine(t.cls, t.rows, t.dim),
    cls_effective_rank: effectiveRank(t.cls, t.rows, t.dim),
  };
}

/** The fields of a log record the collapse check reads (StepRecord has them all). */
export interface HealthRecord extends StepHealth {
  step: number;
  dino_loss: number;
  ibot_ce: number;
}

/** The thresholds collapseSigns applies (fractions of log K where a loss or entropy); notebook 01 draws them. */
export const COLLAPSE_THRESHOLDS = {
  /** Teacher target entropy above this fraction of log K: uniform targets. */
  teacherEntropy: 0.95,
  /** Mean pairwise cosine of backbone CLS tokens above this: aligned tokens. */
  clsCosine: 0.95,
  /** Effective rank of backbone CLS tokens below this: collapsed features. */
  effectiveRank: 2,
  /** DINO loss and iBOT cross-entropy at the end of a run at most this fraction of log K. */
  endLoss: 0.8,
} as const;

export interface CollapseCheckOptions {
  /** Steps averaged at each end of the run (default: a tenth of the records, at least 5). */
  window?: number;
  /** Also apply the end-of-run criteria: DINO loss and iBOT CE ≤ 0.8·log K and not climbing back (default false). */
  final?: boolean;
}

/**
 * Signs of collapse in a run's log (empty = healthy). Always checked, over the last window of steps:
 *  - uniform targets: teacher target entropy > 0.95·log K (Sinkhorn-Knopp of near-identical rows is uniform);
 *  - flattening logits: within-row logit sd below half its value over the first window.
 * With `final` (a finished run): no backbone collapse — CLS tokens of different images aligned (mean pairwise cosine
 * > 0.95) or effective rank < 2 — and DINO loss and iBOT cross-entropy ≤ 0.8·log K over the last window, not
 * above their value over the window before it by more than 2 % of log K (still falling or flat).
 */
export function collapseSigns(records: HealthRecord[], prototypes: number, opts: CollapseCheckOptions = {}): string[] {
  if (records.length < 2) throw new Error(`collapseSigns: needs at least 2 log records, got ${records.length}`);
  const w = Math.min(Math.floor(records.length / 2), opts.window ?? Math.max(5, Math.round(records.length / 10)));
  const mean = (rs: HealthRecord[], f: (r: HealthRecord) => number) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
  const first = records.slice(0, w), last = records.slice(-w), before = records.slice(-2 * w, -w);
  const lnK = Math.log(prototypes);
  const at = `steps ${last[0].step}–${last[last.length - 1].step}`;
  const signs: string[] = [];
  const te = mean(last, (r) => r.teacher_entropy);
  if (te > COLLAPSE_THRESHOLDS.teacherEntropy * lnK) signs.push(`uniform teacher targets: entropy ${te.toFixed(3)} > ${COLLAPSE_THRESHOLDS.teacherEntropy}·log K = ${(COLLAPSE_THRESHOLDS.teacherEntropy * lnK).toFixed(3)} (${at})`);
  const sd0 = mean(first, (r) => r.logit_row_sd), sd1 = mean(last, (r) => r.logit_row_sd);
  if (sd1 < 0.5 * sd0) signs.push(`flattening prototype logits: within-row sd ${sd1.toFixed(4)} < half of ${sd0.toFixed(4)} at the start (${at})`);
  if (opts.final) {
    // a short run has not spread the tokens yet (cosine ≈ 0.98 at init for either recipe): judged on whole runs only
    const cos = mean(last, (r) => r.cls_cosine), rank = mean(last, (r) => r.cls_effective_rank);
    if (cos > COLLAPSE_THRESHOLDS.clsCosine) signs.push(`backbone CLS tokens aligned: mean pairwise cosine ${cos.toFixed(3)} > ${COLLAPSE_THRESHOLDS.clsCosine} (${at})`);
    if (rank < COLLAPSE_THRESHOLDS.effectiveRank) signs.push(`backbone CLS effective rank ${rank.toFixed(2)} < ${COLLAPSE_THRESHOLDS.effectiveRank} (${at})`);
    for (const [name, f] of [['DINO loss', (r: HealthRecord) => r.dino_loss], ['iBOT cross-entropy', (r: HealthRecord) => r.ibot_ce]] as const) {
      const end = mean(last, f), prev = mean(before, f);
      if (end > COLLAPSE_THRESHOLDS.endLoss * lnK) signs.push(`${name} ${end.toFixed(3)} > ${COLLAPSE_THRESHOLDS.endLoss}·log K = ${(COLLAPSE_THRESHOLDS.endLoss * lnK).toFixed(3)} at the end (${at})`);
      if (end > prev + 0.02 * lnK) signs.push(`${name} climbing back: ${prev.toFixed(3)} → ${end.toFixed(3)} over the last two windows`);
    }
  }
  return signs;
}
