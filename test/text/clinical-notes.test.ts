import * as assert from 'assert';
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';
import { clinicalNotes, LABELS_14, notesSanity, WordVocab } from '../../lib/text';

describe('text/clinical-notes: real-text sanity figures', () => {
  const vocab = WordVocab.build(['No pleural effusion.', 'Clear lungs.']);
  const notes = [
    { id: 'a', text: 'Bilateral consolidation, no effusion.', group: 'covid' },
    { id: 'b', text: 'Possible edema.', group: 'pneumonia' },
    { id: 'c', text: 'Patient recovered.', group: 'covid' },
  ];

  it('out-of-vocabulary share, mention shares per group, mentions per finding, unknown words', () => {
    const s = notesSanity(notes, vocab);
    const get = (group: string, metric: string) => s.summary.find((r) => r.group === group && r.metric === metric)!.value;
    // words (periods kept): a 5 (2 unknown), b 3 (2), c 3 (2)
    assert.strictEqual(get('all', 'notes'), 3);
    assert.strictEqual(get('all', 'words per note'), 11 / 3);
    assert.strictEqual(get('all', 'out-of-vocabulary words'), 6 / 11);
    assert.strictEqual(get('all', 'notes with any labeller mention'), 2 / 3);
    assert.strictEqual(get('all', 'notes with an airspace / fluid finding'), 2 / 3);
    assert.strictEqual(get('covid', 'out-of-vocabulary words'), 0.5);
    assert.strictEqual(get('covid', 'notes with a negated mention'), 0.5);
    assert.strictEqual(get('covid', 'notes with an uncertain mention'), 0);
    assert.strictEqual(get('pneumonia', 'notes with an uncertain mention'), 1);
    assert.deepStrictEqual(s.summary.map((r) => r.group).filter((g, i, a) => a.indexOf(g) === i), ['all', 'covid', 'pneumonia']);
    const byOrder = (x: { finding: string }, y: { finding: string }) => LABELS_14.indexOf(x.finding) - LABELS_14.indexOf(y.finding);
    assert.deepStrictEqual(s.mentions, [
      { finding: 'Consolidation', positive: 1, uncertain: 0, negative: 0 },
      { finding: 'Edema', positive: 0, uncertain: 1, negative: 0 },
      { finding: 'Effusion', positive: 0, uncertain: 0, negative: 1 },
    ].sort(byOrder));
    assert.deepStrictEqual(s.unknownWords.map((u) => u.word), ['bilateral', 'consolidation', 'edema', 'patient', 'possible', 'recovered']);
  });

  it('a note without words is an error naming it; no notes is an error', () => {
    assert.throws(() => notesSanity([{ id: 'img-7', text: ' ... ', group: 'covid' }], vocab), /note of img-7 has no words/);
    assert.throws(() => notesSanity([], vocab), /no notes/);
  });

  it('clinicalNotes: one note per distinct text, blank notes skipped; a table without the column names the dataset', () => {
    const table = aq.table({ id: ['i1', 'i2', 'i3', 'i4'], clinical_notes: ['Patchy opacity.', null, ' Patchy opacity. ', 'Clear.'], label3: ['covid', 'covid', 'covid', 'normal'] });
    const samples = { dataset: 'covid-chestxray', table } as unknown as SampleTable;
    assert.deepStrictEqual(clinicalNotes(samples), [
      { id: 'i1', text: 'Patchy opacity.', group: 'covid' },
      { id: 'i4', text: 'Clear.', group: 'normal' },
    ]);
    const bare = { dataset: 'covid-chestxray', table: aq.table({ id: ['i1'], label3: ['covid'] }) } as unknown as SampleTable;
    assert.throws(() => clinicalNotes(bare), /covid-chestxray has no 'clinical_notes' column/);
  });
});
