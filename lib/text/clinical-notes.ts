/**
 * Real-text sanity check: what the tokeniser, the synthetic corpus's vocabulary and the rule labeller make of real
 * clinical prose — the covid-chestxray collection's free-text `clinical_notes` (case-report excerpts: history, course,
 * imaging described in the authors' words). Per group of notes (the image's class, and all): how many words fall
 * outside the vocabulary a report writer trained on the synthetic corpus knows, how many notes the labeller finds any
 * mention in, and how many it reads as describing an airspace / fluid finding (Consolidation, Edema, Atelectasis,
 * Effusion: positive or uncertain). It cannot show report-generation quality: the notes are not findings sections, have
 * no structured truth, and their labels are 3 classes, not the 14 findings.
 */
import { LABELS_14, labelReport } from './labeller';
import { tokenizeWords } from './tokenize';
import type { WordVocab } from './vocab';
import type { SampleTable } from '../data/types';

export interface ClinicalNote { id: string; text: string; group: string }

/** Findings whose mention in a note means the labeller read an airspace or fluid process (what pneumonia notes describe). */
export const AIRSPACE_FINDINGS: readonly string[] = ['Consolidation', 'Edema', 'Atelectasis', 'Effusion'];

export interface NotesSanity {
  /** Tidy (group, metric, value): notes, words per note, out-of-vocabulary share, shares of notes with a mention. */
  summary: { group: string; metric: string; value: number }[];
  /** Per finding: notes with a positive, uncertain and negative mention. */
  mentions: { finding: string; positive: number; uncertain: number; negative: number }[];
  /** The most frequent words outside the vocabulary, most frequent first. */
  unknownWords: { word: string; count: number }[];
}

/** The sanity figures of `notes` against `vocab`; a note with no words is an error naming it. */
export function notesSanity(notes: readonly ClinicalNote[], vocab: WordVocab, topUnknown = 15): NotesSanity {
  if (!notes.length) throw new Error('notesSanity: no notes');
  const airspace = AIRSPACE_FINDINGS.map((f) => LABELS_14.indexOf(f));
  const unknown = new Map<string, number>();
  const mentions = LABELS_14.map((finding) => ({ finding, positive: 0, uncertain: 0, negative: 0 }));
  const per = notes.map((n) => {
    const words = tokenizeWords(n.text, true);
    if (!words.length) throw new Error(`notesSanity: note of ${n.id} has no words`);
    const oov = words.filter((w) => !vocab.index.has(w));
    for (const w of oov) unknown.set(w, (unknown.get(w) ?? 0) + 1);
    const m = labelReport(n.text);
    m.forEach((v, k) => { if (v === 1) mentions[k].positive++; else if (v === -1) mentions[k].uncertain++; else if (v === 0) mentions[k].negative++; });
    return {
      group: n.group, words: words.length, oov: oov.length,
      any: m.some((v) => v !== null) ? 1 : 0,
      airspace: airspace.some((k) => m[k] === 1 || m[k] === -1) ? 1 : 0,
      negated: m.some((v) => v === 0) ? 1 : 0,
      uncertain: m.some((v) => v === -1) ? 1 : 0,
    };
  });
  const groups = [...new Set(per.map((p) => p.group))].sort();
  const summary = ['all', ...groups].flatMap((g) => {
    const rows = g === 'all' ? per : per.filter((p) => p.group === g);
    const words = rows.reduce((a, r) => a + r.words, 0);
    const share = (k: 'any' | 'airspace' | 'negated' | 'uncertain') => rows.reduce((a, r) => a + r[k], 0) / rows.length;
    return [
      { metric: 'notes', value: rows.length },
      { metric: 'words per note', value: words / rows.length },
      { metric: 'out-of-vocabulary words', value: rows.reduce((a, r) => a + r.oov, 0) / words },
      { metric: 'notes with any labeller mention', value: share('any') },
      { metric: 'notes with an airspace / fluid finding', value: share('airspace') },
      { metric: 'notes with a negated mention', value: share('negated') },
      { metric: 'notes with an uncertain mention', value: share('uncertain') },
    ].map((r) => ({ group: g, ...r }));
  });
  const unknownWords = [...unknown].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, topUnknown).map(([word, count]) => ({ word, count }));
  return { summary, mentions: mentions.filter((m) => m.positive + m.uncertain + m.negative > 0), unknownWords };
}

/**
 * The notes of a loaded real set: one per distinct non-blank `textColumn` value (images of one case often share their
 * case report's note; the first image in table order keeps it), grouped by `groupColumn`. A table without the column
 * is an error naming the dataset.
 */
export function clinicalNotes(samples: SampleTable, textColumn = 'clinical_notes', groupColumn = 'label3'): ClinicalNote[] {
  const names = samples.table.columnNames();
  for (const c of [textColumn, groupColumn]) {
    if (!names.includes(c)) throw new Error(`clinicalNotes: ${samples.dataset} has no '${c}' column (for covid-chestxray: its metadata.csv was not found beside images.csv)`);
  }
  const ids = samples.table.array('id') as string[];
  const texts = samples.table.array(textColumn) as (string | null)[];
  const groups = samples.table.array(groupColumn) as (string | null)[];
  const seen = new Set<string>();
  const out: ClinicalNote[] = [];
  texts.forEach((t, i) => {
    const text = typeof t === 'string' ? t.trim() : '';
    if (!text || seen.has(text)) return;
    seen.add(text);
    out.push({ id: ids[i], text, group: groups[i] ?? 'unknown' });
  });
  return out;
}
