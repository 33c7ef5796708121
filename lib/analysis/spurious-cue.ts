/** The spurious-cue experiment's table (paper Fig. S7) shaped into bars and its finding in words. */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';

/**
 * Fig S7 bar rows from spuriousCueExperiment's table: the share of attention mass in the cue's box and in the finding's
 * box for each head, next to the share uniform attention would give (the boxes' area).
 * Columns: region ('brace box' | '<finding> box'), what ('<arm> head' | 'uniform (box area)'), value.
 */
export function spuriousCueMassRows(table: ColumnTable, opts: { finding?: string } = {}): ColumnTable {
  const finding = (opts.finding ?? 'Fracture').toLowerCase();
  const rows = table.objects() as { group: string; metric: string; value: number }[];
  const out: { region: string; what: string; value: number }[] = [];
  const region = (m: string) => (m.endsWith('cue') ? 'brace box' : `${finding} box`);
  for (const r of rows) {
    if (r.metric === 'mass_cue' || r.metric === 'mass_finding') out.push({ region: region(r.metric), what: `${r.group} head`, value: r.value });
  }
  for (const m of ['area_cue', 'area_finding']) {
    const r = rows.find((x) => x.metric === m);
    if (r) out.push({ region: region(m), what: 'uniform (box area)', value: r.value });
  }
  if (out.length === 0) throw new Error('spuriousCueMassRows: no mass_* rows (not a spuriousCueExperiment table?)');
  return aq.from(out);
}

/** How much more brace attention the cued head must show than the uncued head to count as "looks at the brace". */
export const CUE_ATTENTION_RATIO = 1.5;

/**
 * The Fig. S7 finding in words, computed from spuriousCueExperiment's table (one model): attention shares, the AUROC drop
 * of each head from validation (cue correlated) to test (cue independent), and whether the maps show the shortcut — the
 * cued head's brace share at least CUE_ATTENTION_RATIO × the uncued head's and above its own finding share.
 */
export function describeSpuriousCue(table: ColumnTable, opts: { finding?: string; cued?: string; uncued?: string } = {}): string {
  const finding = opts.finding ?? 'Fracture', cuedArm = opts.cued ?? 'cued', plainArm = opts.uncued ?? 'uncued';
  const rows = table.objects() as { model: string; group: string; metric: string; value: number }[];
  const v = (arm: string, metric: string) => rows.find((r) => r.group === arm && r.metric === metric)?.value ?? NaN;
  const f = (x: number) => x.toFixed(2);
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  const model = rows[0]?.model ?? '?';
  const fl = finding.toLowerCase();
  const cueC = v(cuedArm, 'mass_cue'), finC = v(cuedArm, 'mass_finding'), cueU = v(plainArm, 'mass_cue'), finU = v(plainArm, 'mass_finding');
  const dropC = v(cuedArm, 'auroc_val') - v(cuedArm, 'auroc_test'), dropU = v(plainArm, 'auroc_val') - v(plainArm, 'auroc_test');
  const looksAtCue = cueC > finC && cueC >= CUE_ATTENTION_RATIO * cueU;
  return [
    `${model}: the ${finding} head trained with the planted brace puts ${pct(cueC)} of its attention on the brace and ${pct(finC)} on the ${fl} box`,
    `(the head trained without the cue: ${pct(cueU)} vs ${pct(finU)}; uniform attention would give ${pct(v(cuedArm, 'area_cue'))} vs ${pct(v(cuedArm, 'area_finding'))}).`,
    `Its AUROC falls from ${f(v(cuedArm, 'auroc_val'))} (validation, cue correlated) to ${f(v(cuedArm, 'auroc_test'))} on test where the cue is independent of the label (drop ${f(dropC)}; uncued head: ${f(v(plainArm, 'auroc_val'))} → ${f(v(plainArm, 'auroc_test'))}, drop ${f(dropU)}):`,
    dropC > dropU ? 'the cued head relied on the cue.' : 'no larger drop than without the cue, so no sign that the cued head relied on it.',
    looksAtCue
      ? `The maps reveal the shortcut: the cued head looks at the brace more than at the ${fl}, and ≥ ${CUE_ATTENTION_RATIO}× as much as the uncued head does.`
      : `The maps do NOT show the shortcut clearly here: the cued head's brace share (${pct(cueC)}) is not both above its ${fl} share (${pct(finC)}) and ≥ ${CUE_ATTENTION_RATIO}× the uncued head's (${pct(cueU)}).`,
  ].join(' ');
}
