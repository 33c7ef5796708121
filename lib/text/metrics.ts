/**
 * BLEU-1…n and ROUGE-L with the semantics of pycocoevalcap (coco-caption): `Bleu(4).compute_score` uses the corpus-level
 * BleuScorer with the "closest" effective reference length and the 1e-15 / 1e-9 smoothing constants; `Rouge` is the mean
 * over samples of the LCS F-measure with β = 1.2 against the best-precision and best-recall reference. Inputs are text
 * already tokenised (tokens joined by single spaces, see `tokenize`).
 */

function checkInputs(fn: string, references: string[][], hypotheses: string[]): void {
  if (!Array.isArray(references) || !Array.isArray(hypotheses)) throw new Error(`${fn}: references and hypotheses must be arrays`);
  if (references.length !== hypotheses.length) {
    throw new Error(`${fn}: length mismatch: ${references.length} reference sets, ${hypotheses.length} hypotheses`);
  }
  if (references.length === 0) throw new Error(`${fn}: no samples`);
  for (let i = 0; i < references.length; i++) {
    if (typeof hypotheses[i] !== 'string') throw new Error(`${fn}: hypotheses[${i}] is not a string`);
    if (!Array.isArray(references[i]) || references[i].length === 0) throw new Error(`${fn}: references[${i}] has no reference text`);
    for (let j = 0; j < references[i].length; j++) {
      const r = references[i][j];
      if (typeof r !== 'string' || r.trim() === '') throw new Error(`${fn}: references[${i}][${j}] is empty; a sample without a report cannot be scored`);
    }
  }
}

function ngramCounts(words: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let k = 1; k <= n; k++) {
    for (let i = 0; i + k <= words.length; i++) {
      const key = `${k}\u0000${words.slice(i, i + k).join('\u0000')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Whitespace split as Python's str.split() without arguments (empty text → no tokens). */
function pySplit(s: string): string[] {
  const t = s.trim();
  return t === '' ? [] : t.split(/\s+/);
}

export interface BleuResult {
  /** BLEU-1 … BLEU-n, corpus level. */
  bleu: number[];
  /** Per-sample modified precision^(1/k) as pycocoevalcap returns beside the score (no brevity penalty). */
  perSample: number[][];
  testLength: number;
  refLength: number;
}

export function bleuDetailed(references: string[][], hypotheses: string[], opts: { n?: number } = {}): BleuResult {
  const n = opts.n ?? 4;
  if (!Number.isInteger(n) || n < 1) throw new Error(`bleu: n must be a positive integer, got ${n}`);
  checkInputs('bleu', references, hypotheses);
  const small = 1e-9;
  const tiny = 1e-15;
  const guessTot = new Array<number>(n).fill(0);
  const correctTot = new Array<number>(n).fill(0);
  const perSample: number[][] = Array.from({ length: n }, () => []);
  let testLength = 0;
  let refLength = 0;
  for (let s = 0; s < hypotheses.length; s++) {
    const maxRef = new Map<string, number>();
    const refLens: number[] = [];
    for (const ref of references[s]) {
      const words = pySplit(ref);
      refLens.push(words.length);
      for (const [g, c] of ngramCounts(words, n)) maxRef.set(g, Math.max(maxRef.get(g) ?? 0, c));
    }
    const hw = pySplit(hypotheses[s]);
    const tl = hw.length;
    // "closest": the reference length nearest the hypothesis length, the shorter one on a tie (Python's min over tuples).
    let best = refLens[0];
    for (const l of refLens) {
      const d = Math.abs(l - tl);
      const bd = Math.abs(best - tl);
      if (d < bd || (d === bd && l < best)) best = l;
    }
    testLength += tl;
    refLength += best;
    const correct = new Array<number>(n).fill(0);
    for (const [g, c] of ngramCounts(hw, n)) {
      const k = Number(g.slice(0, g.indexOf('\u0000')));
      correct[k - 1] += Math.min(maxRef.get(g) ?? 0, c);
    }
    for (let k = 0; k < n; k++) {
      const guess = Math.max(0, tl - k);
      guessTot[k] += guess;
      correctTot[k] += correct[k];
      perSample[k].push(((correct[k] + tiny) / (guess + small)) ** (1 / (k + 1)));
    }
  }
  const bleu: number[] = [];
  const ratio = (testLength + tiny) / (refLength + small);
  for (let nn = 1; nn <= n; nn++) {
    let p = 1;
    for (let k = 0; k < nn; k++) p *= (correctTot[k] + tiny) / (guessTot[k] + small);
    let b = p ** (1 / nn);
    if (ratio < 1) b *= Math.exp(1 - 1 / ratio);
    bleu.push(b);
  }
  return { bleu, perSample, testLength, refLength };
}

/** Corpus BLEU-1…n (pycocoevalcap `Bleu(n).compute_score(...)[0]`). */
export function bleu(references: string[][], hypotheses: string[], opts: { n?: number } = {}): number[] {
  return bleuDetailed(references, hypotheses, opts).bleu;
}

function lcsLength(a: string[], b: string[]): number {
  const prev = new Int32Array(b.length + 1);
  const cur = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    prev.set(cur);
  }
  return prev[b.length];
}

const BETA = 1.2;

/** ROUGE-L of one hypothesis against its references (pycocoevalcap `Rouge.calc_score`). */
export function rougeLSample(refs: string[], hypothesis: string): number {
  // pycocoevalcap splits on single spaces, so an empty hypothesis is one empty token (length 1, LCS 0 → score 0).
  const c = hypothesis.split(' ');
  let precMax = 0;
  let recMax = 0;
  for (const ref of refs) {
    const r = ref.split(' ');
    const l = lcsLength(r, c);
    precMax = Math.max(precMax, l / c.length);
    recMax = Math.max(recMax, l / r.length);
  }
  if (precMax === 0 || recMax === 0) return 0;
  return ((1 + BETA ** 2) * precMax * recMax) / (recMax + BETA ** 2 * precMax);
}

export function rougeLDetailed(references: string[][], hypotheses: string[]): { mean: number; perSample: number[] } {
  checkInputs('rougeL', references, hypotheses);
  const perSample = hypotheses.map((h, i) => rougeLSample(references[i], h));
  return { mean: perSample.reduce((a, b) => a + b, 0) / perSample.length, perSample };
}

/** Mean ROUGE-L over samples (pycocoevalcap `Rouge().compute_score(...)[0]`). */
export function rougeL(references: string[][], hypotheses: string[]): number {
  return rougeLDetailed(references, hypotheses).mean;
}

/**
 * Per-sample BLEU sufficient statistics as row-aligned columns [testLen, refLen, guess1..n, correct1..n], so a
 * bootstrap can resample samples and recompute the corpus score with `bleuFromColumns` (same value as `bleu` on the rows).
 */
export function bleuColumns(references: string[][], hypotheses: string[], n = 4): Float64Array[] {
  checkInputs('bleu', references, hypotheses);
  const cols = Array.from({ length: 2 + 2 * n }, () => new Float64Array(hypotheses.length));
  hypotheses.forEach((h, i) => {
    const one = bleuDetailedCounts(references[i], h, n);
    cols[0][i] = one.testLength; cols[1][i] = one.refLength;
    for (let k = 0; k < n; k++) { cols[2 + k][i] = one.guess[k]; cols[2 + n + k][i] = one.correct[k]; }
  });
  return cols;
}

function bleuDetailedCounts(refs: string[], hyp: string, n: number): { testLength: number; refLength: number; guess: number[]; correct: number[] } {
  const maxRef = new Map<string, number>();
  const refLens: number[] = [];
  for (const ref of refs) {
    const words = pySplit(ref);
    refLens.push(words.length);
    for (const [g, c] of ngramCounts(words, n)) maxRef.set(g, Math.max(maxRef.get(g) ?? 0, c));
  }
  const hw = pySplit(hyp);
  const tl = hw.length;
  let best = refLens[0];
  for (const l of refLens) {
    const d = Math.abs(l - tl), bd = Math.abs(best - tl);
    if (d < bd || (d === bd && l < best)) best = l;
  }
  const correct = new Array<number>(n).fill(0);
  for (const [g, c] of ngramCounts(hw, n)) correct[Number(g.slice(0, g.indexOf('\u0000'))) - 1] += Math.min(maxRef.get(g) ?? 0, c);
  return { testLength: tl, refLength: best, guess: Array.from({ length: n }, (_, k) => Math.max(0, tl - k)), correct };
}

/** Corpus BLEU-`order` from `bleuColumns` output (possibly resampled rows). */
export function bleuFromColumns(cols: ArrayLike<number>[], order = 4): number {
  const n = (cols.length - 2) / 2;
  if (!Number.isInteger(n) || order < 1 || order > n) throw new Error(`bleuFromColumns: ${cols.length} columns cannot give BLEU-${order}`);
  const sum = (c: ArrayLike<number>) => { let s = 0; for (let i = 0; i < c.length; i++) s += c[i]; return s; };
  const ratio = (sum(cols[0]) + 1e-15) / (sum(cols[1]) + 1e-9);
  let p = 1;
  for (let k = 0; k < order; k++) p *= (sum(cols[2 + n + k]) + 1e-15) / (sum(cols[2 + k]) + 1e-9);
  let b = p ** (1 / order);
  if (ratio < 1) b *= Math.exp(1 - 1 / ratio);
  return b;
}
