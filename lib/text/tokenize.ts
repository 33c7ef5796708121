/**
 * Tokeniser for report text with the behaviour pycocoevalcap's PTBTokenizer has on plain clinical prose: lower case,
 * punctuation split off the words, and the punctuation tokens PTBTokenizer drops (. , ; : ? ! - -- ... quotes, brackets)
 * removed. Hyphenated words ("left-sided") and decimals ("3.5") stay one token, as in the Stanford PTB tokeniser.
 * The result is tokens joined by single spaces — the form `bleu` and `rougeL` take.
 */
const DROPPED = new Set(["''", "'", '``', '`', '.', '?', '!', ',', ':', '-', '--', '...', ';', '(', ')', '[', ']', '{', '}', '"']);

/**
 * `keepPeriods`: keep "." as a token (sentence ends) — the language model writes them so the labeller can find clause
 * boundaries in generated text; `tokenize` (for the metrics) drops them as PTBTokenizer does.
 */
export function tokenizeWords(text: string, keepPeriods = false): string[] {
  if (typeof text !== 'string') throw new Error(`tokenize: expected a string, got ${typeof text}`);
  const lower = text.toLowerCase();
  // A token is a run of word characters possibly joined by inner hyphens, slashes or decimal points, or one
  // punctuation mark (a run of dots or dashes counts as one mark, as "..." and "--" do in PTB).
  const re = /[a-z0-9]+(?:[-/.'][a-z0-9]+)*|\.{2,}|-{2,}|[^\sa-z0-9]/g;
  const out: string[] = [];
  for (const m of lower.matchAll(re)) if (!DROPPED.has(m[0]) || (keepPeriods && m[0] === '.')) out.push(m[0]);
  return out;
}

export function tokenize(text: string): string {
  return tokenizeWords(text).join(' ');
}
