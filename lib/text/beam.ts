/**
 * Beam search over a next-token model given as a function, so the search itself is testable on a constructed
 * distribution (test/text/beam.test.ts) and `ReportModel.generate` only supplies the step. Score: the sum of token
 * log-probabilities, <eos> included, with no length normalisation; beams that wrote <eos> are kept with their final
 * score and compete with the live ones. Ties go to the lower token id (tf.argMax's first maximum), so width 1 is
 * exactly greedy decoding.
 */
export interface BeamOptions {
  /** Beams kept per step (1 = greedy). */
  width: number;
  /** Most tokens written after the prompt (<eos> included). */
  maxNew: number;
  eos: number;
}

export interface BeamResult {
  /** Tokens after the prompt, <eos> included when it was written. */
  tokens: number[];
  logProb: number;
}

/**
 * @param step log-probabilities of the next token for each sequence (prompt + tokens so far); all sequences of one
 *   call have the same length.
 */
export function beamSearch(prompt: readonly number[], step: (seqs: number[][]) => ArrayLike<number>[], o: BeamOptions): BeamResult {
  if (!Number.isInteger(o.width) || o.width < 1) throw new Error(`beamSearch: width must be a positive integer, got ${o.width}`);
  if (!Number.isInteger(o.maxNew) || o.maxNew < 0) throw new Error(`beamSearch: maxNew must be a non-negative integer, got ${o.maxNew}`);
  type Beam = { tokens: number[]; logProb: number; done: boolean };
  let beams: Beam[] = [{ tokens: [], logProb: 0, done: false }];
  for (let t = 0; t < o.maxNew; t++) {
    const live = beams.filter((b) => !b.done);
    if (!live.length) break;
    const lps = step(live.map((b) => [...prompt, ...b.tokens]));
    if (lps.length !== live.length) throw new Error(`beamSearch: step returned ${lps.length} distributions for ${live.length} sequences`);
    const cand: Beam[] = beams.filter((b) => b.done);
    live.forEach((b, i) => {
      for (const tok of topK(lps[i], o.width)) {
        cand.push({ tokens: [...b.tokens, tok], logProb: b.logProb + lps[i][tok], done: tok === o.eos });
      }
    });
    // stable sort: among equal scores the earlier candidate (older beam, lower token id) stays first
    beams = cand.sort((a, b) => b.logProb - a.logProb).slice(0, o.width);
  }
  const best = beams.reduce((a, b) => (b.logProb > a.logProb ? b : a));
  return { tokens: best.tokens, logProb: best.logProb };
}

/** Indices of the k largest values, largest first, ties to the lower index. */
function topK(v: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: v.length }, (_, i) => i);
  idx.sort((a, b) => v[b] - v[a] || a - b);
  return idx.slice(0, k);
}
