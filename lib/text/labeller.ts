/**
 * A CheXpert-style rule-based labeller for the report vocabulary of the synthetic corpus (lib/text/corpus.ts): for
 * each of the 14 findings it finds MENTIONS (phrases), then classifies each mention as uncertain (a hedging cue in
 * the same clause: "possible", "cannot be excluded", …), negated (a negation cue before it in the clause — "no",
 * "without", "no evidence of" — or after it — "is not seen", "has resolved"), or positive; phrases that assert
 * normality ("heart size is normal") are negative mentions. As in the CheXpert labeller, uncertainty is checked before
 * negation (so "cannot be excluded" is uncertain, not negative), and mentions aggregate as positive > uncertain >
 * negative > not mentioned. A clause ends at . ; ! ? or at "but" / "however" / "although" / "though" / "which"; commas
 * do not end it, so "no effusion, pneumothorax or consolidation" negates all three (as CheXpert's list rule does).
 *
 * Besides the 14-vector, `extractFacts` returns the entity / relation tuples used as the stand-in for RadGraph-F1:
 * entities (label, status) and relations (label, attribute, value) for side, zone, severity and device position found
 * in the mention's clause.
 */
import { FINDING_NAMES } from '../data/synthetic/catalogue';

export const LABELS_14: readonly string[] = FINDING_NAMES;

/** 1 positive, -1 uncertain, 0 negative, null not mentioned (CheXpert's convention). */
export type Mention = 1 | -1 | 0 | null;

const MENTIONS: Record<string, string[]> = {
  Effusion: ['pleural effusions', 'pleural effusion', 'effusions', 'effusion', 'pleural fluid', 'blunting of the costophrenic angle'],
  'Support Devices': ['endotracheal tube', 'et tube', 'nasogastric tube', 'enteric tube', 'ng tube', 'central venous catheter',
    'central line', 'venous catheter', 'support devices', 'lines and tubes', 'tubes and lines'],
  Atelectasis: ['atelectasis', 'atelectatic', 'volume loss'],
  Cardiomegaly: ['cardiomegaly', 'cardiac enlargement', 'enlarged cardiac silhouette', 'heart is enlarged', 'enlarged heart'],
  Consolidation: ['consolidation', 'consolidative opacity', 'airspace opacity', 'airspace disease'],
  Nodule: ['nodules', 'nodule', 'nodular opacity'],
  Pneumothorax: ['pneumothoraces', 'pneumothorax'],
  Edema: ['pulmonary edema', 'interstitial edema', 'edema', 'vascular congestion', 'kerley b lines'],
  Emphysema: ['emphysematous', 'emphysema', 'hyperinflated', 'hyperinflation'],
  Mass: ['masses', 'mass'],
  'Pleural Thickening': ['pleural thickening', 'pleural cap', 'thickened pleura'],
  Fracture: ['fractures', 'fracture', 'fractured'],
  Calcification: ['calcifications', 'calcification', 'calcified', 'calcific'],
  Hernia: ['hiatal hernia', 'hernia'],
};

/** Phrases that state a finding is absent without a negation word. */
const NEGATIVE_PHRASES: Record<string, string[]> = {
  Cardiomegaly: ['heart size is normal', 'heart size is within normal limits', 'normal heart size', 'cardiac silhouette is normal',
    'cardiac silhouette is within normal limits', 'cardiomediastinal silhouette is normal', 'heart is not enlarged'],
  Edema: ['no pulmonary edema'],
};

const PRE_NEG = ['no evidence of', 'negative for', 'free of', 'without', 'no', 'not', 'nor', 'absence of', 'resolution of'];
const POST_NEG = ['is not seen', 'are not seen', 'is not identified', 'are not identified', 'is absent', 'are absent', 'has resolved',
  'have resolved', 'is not present', 'are not present'];
const UNCERTAIN = ['cannot be excluded', 'can not be excluded', 'cannot exclude', 'not excluded', 'cannot be ruled out',
  'possible', 'possibly', 'questionable', 'probable', 'probably', 'likely', 'may', 'might', 'could', 'suspicious for',
  'suggestive of', 'concerning for', 'equivocal', 'versus', 'vs', 'difficult to exclude', 'suspected'];
const CLAUSE_BREAK = new Set(['but', 'however', 'although', 'though', 'which', 'whereas']);

const SIDE_WORDS: Record<string, string> = { right: 'right', left: 'left', bilateral: 'both', bilaterally: 'both', both: 'both' };
const ZONE_WORDS: Record<string, string> = {
  upper: 'upper', apical: 'upper', apex: 'upper', apices: 'upper', mid: 'mid', middle: 'mid', lower: 'lower', basal: 'lower',
  base: 'lower', bases: 'lower', basilar: 'lower', retrocardiac: 'lower',
};
const SEVERITY_WORDS: Record<string, string> = {
  small: 'small', trace: 'small', tiny: 'small', mild: 'mild', minimal: 'mild', moderate: 'moderate', large: 'large', severe: 'severe',
  marked: 'severe', substantial: 'large',
};
const POSITION_PHRASES: [string, string][] = [
  ['incompletely imaged', 'incompletely-imaged'], ['not fully imaged', 'incompletely-imaged'],
  ['malpositioned', 'abnormal'], ['malposition', 'abnormal'], ['should be repositioned', 'abnormal'], ['too deep', 'abnormal'], ['too high', 'abnormal'],
  ['borderline', 'borderline'], ['slightly high', 'borderline'], ['slightly low', 'borderline'],
  ['appropriately positioned', 'normal'], ['in standard position', 'normal'], ['in satisfactory position', 'normal'], ['in good position', 'normal'],
  ['terminates appropriately', 'normal'],
];
const DEVICE_KIND: [string, string][] = [
  ['endotracheal', 'ETT'], ['et tube', 'ETT'], ['nasogastric', 'NGT'], ['enteric', 'NGT'], ['ng tube', 'NGT'],
  ['central venous', 'CVC'], ['central line', 'CVC'], ['venous catheter', 'CVC'],
];

/** Split into sentences and then clauses (arrays of lower-case word tokens). */
function clauses(text: string): string[][] {
  const out: string[][] = [];
  for (const sentence of text.toLowerCase().split(/[.;!?\n]+/)) {
    let cur: string[] = [];
    for (const w of sentence.split(/[\s,:()]+/).filter(Boolean)) {
      if (CLAUSE_BREAK.has(w)) { if (cur.length) out.push(cur); cur = []; } else cur.push(w);
    }
    if (cur.length) out.push(cur);
  }
  return out;
}

function findPhrase(words: string[], phrase: string[], from = 0): number {
  outer: for (let i = from; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return i;
  }
  return -1;
}

const split = (s: string) => s.split(' ');
const has = (words: string[], phrases: string[], lo = 0, hi = words.length) => {
  const seg = words.slice(lo, hi);
  return phrases.some((p) => findPhrase(seg, split(p)) >= 0);
};

interface Hit { label: string; status: Mention; clause: string[]; start: number; end: number }

function mentionsOf(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const c of clauses(text)) {
    const taken = new Uint8Array(c.length);
    for (const label of LABELS_14) {
      for (const phrase of NEGATIVE_PHRASES[label] ?? []) {
        const i = findPhrase(c, split(phrase));
        if (i >= 0) { hits.push({ label, status: 0, clause: c, start: i, end: i + split(phrase).length }); taken.fill(1, i, i + split(phrase).length); }
      }
    }
    for (const label of LABELS_14) {
      for (const phrase of MENTIONS[label]) {
        const p = split(phrase);
        for (let i = findPhrase(c, p); i >= 0; i = findPhrase(c, p, i + 1)) {
          if (taken.subarray(i, i + p.length).some((x) => x)) continue; // a longer phrase already claimed these words
          taken.fill(1, i, i + p.length);
          let status: Mention;
          if (has(c, UNCERTAIN)) status = -1;
          else if (has(c, PRE_NEG, 0, i) || has(c, POST_NEG, i + p.length)) status = 0;
          else status = 1;
          hits.push({ label, status, clause: c, start: i, end: i + p.length });
        }
      }
    }
  }
  return hits;
}

/** The 14-vector of one report (order of LABELS_14). */
export function labelReport(text: string): Mention[] {
  if (typeof text !== 'string') throw new Error(`labelReport: expected a string, got ${typeof text}`);
  const out: Mention[] = LABELS_14.map(() => null);
  const rank = (m: Mention) => (m === 1 ? 3 : m === -1 ? 2 : m === 0 ? 1 : 0);
  for (const h of mentionsOf(text)) {
    const k = LABELS_14.indexOf(h.label);
    if (rank(h.status) > rank(out[k])) out[k] = h.status;
  }
  return out;
}

/**
 * Binary 14-vector for F1: positive and uncertain count as present (CheXpert's "U-ones" policy, which also treats a
 * hedged finding as reported), negative and unmentioned as absent.
 */
export function binaryLabels(text: string): number[] {
  return labelReport(text).map((m) => (m === 1 || m === -1 ? 1 : 0));
}

export interface ReportFacts { entities: string[]; relations: string[] }

/** Entity and relation tuples of a report, as strings ("Effusion|present", "Effusion|side|left"). */
export function extractFacts(text: string): ReportFacts {
  const entities = new Set<string>();
  const relations = new Set<string>();
  const statusName = (m: Mention) => (m === 1 ? 'present' : m === -1 ? 'uncertain' : 'absent');
  for (const h of mentionsOf(text)) {
    if (h.label === 'Support Devices') {
      const kind = DEVICE_KIND.find(([p]) => findPhrase(h.clause.slice(h.start, h.end + 1), split(p)) >= 0)?.[1];
      const name = kind ?? 'device';
      entities.add(`${name}|${statusName(h.status)}`);
      if (h.status !== 0) {
        const pos = POSITION_PHRASES.find(([p]) => findPhrase(h.clause, split(p)) >= 0)?.[1];
        if (pos) relations.add(`${name}|position|${pos}`);
      }
      continue;
    }
    entities.add(`${h.label}|${statusName(h.status)}`);
    if (h.status === 0) continue;
    for (const w of h.clause) {
      if (SIDE_WORDS[w]) relations.add(`${h.label}|side|${SIDE_WORDS[w]}`);
      if (ZONE_WORDS[w]) relations.add(`${h.label}|zone|${ZONE_WORDS[w]}`);
      if (SEVERITY_WORDS[w]) relations.add(`${h.label}|severity|${SEVERITY_WORDS[w]}`);
    }
  }
  return { entities: [...entities].sort(), relations: [...relations].sort() };
}

function f1(tp: number, fp: number, fn: number): number {
  // sklearn's zero_division=0: no predicted and no true positives scores 0.
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/**
 * Macro-F1-14 and Micro-F1-14 between the labeller vectors of generated reports and reference labels (0/1 rows in
 * LABELS_14 order, e.g. the image labels), as the CheXbert-based metrics of the paper compute them.
 */
export function chexpertF1(predicted: number[][], truth: number[][]): { macro: number; micro: number; perClass: number[] } {
  if (predicted.length !== truth.length) throw new Error(`chexpertF1: ${predicted.length} predicted rows, ${truth.length} truth rows`);
  if (predicted.length === 0) throw new Error('chexpertF1: no samples');
  const K = LABELS_14.length;
  const tp = new Array<number>(K).fill(0), fp = new Array<number>(K).fill(0), fn = new Array<number>(K).fill(0);
  predicted.forEach((row, i) => {
    if (row.length !== K || truth[i].length !== K) throw new Error(`chexpertF1: row ${i} must have ${K} entries`);
    for (let k = 0; k < K; k++) {
      const p = row[k] ? 1 : 0, t = truth[i][k] ? 1 : 0;
      if (p && t) tp[k]++; else if (p) fp[k]++; else if (t) fn[k]++;
    }
  });
  const perClass = tp.map((_, k) => f1(tp[k], fp[k], fn[k]));
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return { macro: sum(perClass) / K, micro: f1(sum(tp), sum(fp), sum(fn)), perClass };
}

/** Mean cosine similarity of labeller vectors (the stand-in for CheXbert vector similarity); two empty vectors are identical (1). */
export function labelCosine(a: number[][], b: number[][]): number[] {
  if (a.length !== b.length) throw new Error(`labelCosine: ${a.length} vs ${b.length} rows`);
  return a.map((x, i) => {
    let dot = 0, nx = 0, ny = 0;
    for (let k = 0; k < x.length; k++) { dot += x[k] * b[i][k]; nx += x[k] * x[k]; ny += b[i][k] * b[i][k]; }
    if (nx === 0 && ny === 0) return 1;
    if (nx === 0 || ny === 0) return 0;
    return dot / Math.sqrt(nx * ny);
  });
}

/** Per-sample F1 of two tuple sets (both empty → 1: nothing to report, nothing reported). */
export function setF1(pred: string[], truth: string[]): number {
  const t = new Set(truth);
  const p = new Set(pred);
  if (p.size === 0 && t.size === 0) return 1;
  let tp = 0;
  for (const x of p) if (t.has(x)) tp++;
  return f1(tp, p.size - tp, t.size - tp);
}
