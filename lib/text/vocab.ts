/**
 * Word-level vocabulary built from a corpus (tokens of `tokenizeWords`). Policy for the bad cases: a word outside the
 * vocabulary encodes to <unk> (counted, never dropped silently — `encode` reports how many); empty or whitespace-only
 * text is an error naming the sample.
 */
import { tokenizeWords } from './tokenize';

export const PAD = 0, BOS = 1, EOS = 2, UNK = 3, SEP = 4;
const SPECIALS = ['<pad>', '<bos>', '<eos>', '<unk>', '<sep>'];

export class WordVocab {
  readonly index: Map<string, number>;
  constructor(readonly tokens: string[]) {
    this.index = new Map(tokens.map((t, i) => [t, i]));
  }

  /** Words seen at least `minCount` times, most frequent first (ties alphabetical, so the vocabulary is deterministic). */
  static build(texts: readonly string[], minCount = 1): WordVocab {
    const counts = new Map<string, number>();
    for (const t of texts) for (const w of tokenizeWords(t, true)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
    return new WordVocab([...SPECIALS, ...words]);
  }

  get size(): number { return this.tokens.length; }

  encode(text: string, what = 'text'): { ids: number[]; unknown: number } {
    const words = tokenizeWords(text, true);
    if (!words.length) throw new Error(`WordVocab.encode: ${what} is empty`);
    let unknown = 0;
    const ids = words.map((w) => { const i = this.index.get(w); if (i === undefined) { unknown++; return UNK; } return i; });
    return { ids, unknown };
  }

  /** Tokens joined by single spaces, sentence periods kept (pass through `tokenize` for bleu / rougeL); specials other than <unk> are skipped. */
  decode(ids: readonly number[]): string {
    return ids.filter((i) => i > SEP || i === UNK).map((i) => this.tokens[i]).join(' ');
  }

  toJSON(): string[] { return this.tokens; }
}
