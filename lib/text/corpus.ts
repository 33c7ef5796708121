/**
 * A seeded report corpus for the synthetic chest X-rays: each study's FINDINGS section is written from its generator
 * spec (what is drawn: findings with side / zone / severity, devices with their tip position) by a small grammar with
 * varied wording and order, pertinent negatives, normal statements and hedged ("possible …") subtle findings; an
 * INDICATION line (age, sex, a clinical question) is the prompt. Beside each text the structured truth: entity tuples
 * ("Effusion|present") and relation tuples ("Effusion|side|left") in the vocabulary `extractFacts` reads back, and the
 * labeller 14-vector of the text. Ids and splits are those of `loadSynthetic` for the same options (same plan, same
 * specs); the wording is a pure function of (spec, seed, id).
 *
 * Policy: a study of a variant other than 'cxr' has no report; asking for one is an error naming the variant.
 */
import { createRng, Rng } from '../engine/rng';
import { FINDING_NAMES } from '../data/synthetic/catalogue';
import { resolveSyntheticOptions, SyntheticOptions } from '../data/synthetic/options';
import { buildPlan, planSpecs } from '../data/synthetic/plan';
import type { DeviceSpec, FindingSpec, PhantomSpec } from '../data/synthetic/spec';
import { binaryLabels } from './labeller';

export interface ReportRecord {
  id: string;
  split: string | null;
  indication: string;
  findings: string;
  entities: string[];
  relations: string[];
  /** Binary 14-vector (FINDING_NAMES order): present or hedged in the text. */
  labels: number[];
}

type Status = 'present' | 'uncertain';
interface Sentence { text: string; entities: string[]; relations: string[] }

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const sideWord = (s: string | undefined) => (s === 'both' ? 'bilateral' : s ?? '');
const sideRel = (s: string | undefined) => (s === 'both' ? 'both' : s ?? '');
const zoneOf = (ty: number) => (ty < 0.36 ? 'upper' : ty < 0.6 ? 'mid' : 'lower');

/** Hedge with a probability that grows as the finding gets subtler (`subtle` in 0..1). */
function hedge(rng: Rng, subtle: number): boolean {
  return rng.bernoulli(0.05 + 0.35 * Math.max(0, Math.min(1, subtle)));
}

function findingSentence(rng: Rng, f: FindingSpec): Sentence {
  const rel: string[] = [];
  const r = (k: string, v: string) => rel.push(`${f.name}|${k}|${v}`);
  let text: string;
  let subtle = 0;
  const side = sideWord(f.side);
  switch (f.name) {
    case 'Effusion': {
      const h = f.p.height;
      const sev = h < 0.06 ? 'small' : h < 0.15 ? 'moderate' : 'large';
      subtle = h < 0.04 ? 1 : 0.2;
      r('severity', sev); r('side', sideRel(f.side));
      const plural = f.side === 'both';
      text = pick(rng, plural
        ? [`${sev} bilateral pleural effusions`, `${sev} pleural effusions bilaterally`, `there are ${sev} bilateral effusions`]
        : [`${sev} ${side} pleural effusion`, `there is a ${sev} ${side} pleural effusion`, `${side} ${sev} effusion`]);
      if (rng.bernoulli(0.4)) { text += plural ? ' at the bases' : ` at the ${side} base`; r('zone', 'lower'); }
      break;
    }
    case 'Pneumothorax': {
      const d = f.p.depth;
      const sev = d < 0.045 ? 'small' : d < 0.075 ? 'moderate' : 'large';
      subtle = d < 0.035 ? 1 : 0.1;
      r('severity', sev); r('side', side);
      if (f.p.extent < 0.7) { r('zone', 'upper'); text = pick(rng, [`${sev} ${side} apical pneumothorax`, `there is a ${sev} ${side} apical pneumothorax`]); }
      else text = pick(rng, [`${sev} ${side} pneumothorax`, `${side} pneumothorax, ${sev}`, `there is a ${sev} ${side} pneumothorax`]);
      break;
    }
    case 'Nodule':
    case 'Mass': {
      const zone = zoneOf(f.p.ty);
      r('side', side); r('zone', zone);
      const noun = f.name === 'Nodule' ? pick(rng, ['nodule', 'nodular opacity']) : 'mass';
      const mm = Math.round(f.p.r * 2 * 350);
      subtle = f.name === 'Nodule' ? (1 - f.p.contrast) * 2 : 0;
      text = pick(rng, [`${mm} mm ${noun} in the ${side} ${zone} zone`, `${side} ${zone} zone ${noun} measuring ${mm} mm`,
        `there is a ${noun} in the ${side} ${zone} lung`]);
      break;
    }
    case 'Consolidation': {
      const ty = f.blobs?.length ? f.blobs.reduce((a, b) => a + b.ty, 0) / f.blobs.length : 0.6;
      const zone = zoneOf(ty);
      r('side', side); r('zone', zone);
      subtle = 1 - f.p.contrast;
      text = pick(rng, [`consolidation in the ${side} ${zone} zone`, `${side} ${zone} zone airspace opacity`,
        `focal consolidation at the ${side} ${zone} zone`]);
      break;
    }
    case 'Atelectasis':
      r('side', side); r('zone', 'lower');
      subtle = 1 - f.p.contrast;
      text = pick(rng, [`plate-like atelectasis at the ${side} base`, `${side} basal atelectasis`, `linear atelectasis in the ${side} lower zone`]);
      break;
    case 'Cardiomegaly': {
      const sev = f.p.ctr < 0.57 ? 'mild' : f.p.ctr < 0.62 ? 'moderate' : 'severe';
      r('severity', sev);
      subtle = f.p.ctr < 0.54 ? 0.8 : 0;
      text = pick(rng, [`${sev} cardiomegaly`, `the heart is enlarged, ${sev} cardiomegaly`, `${sev} cardiac enlargement`]);
      break;
    }
    case 'Edema': {
      const sev = f.p.severity < 0.65 ? 'mild' : f.p.severity < 0.85 ? 'moderate' : 'severe';
      r('severity', sev); r('side', 'both');
      text = pick(rng, [`${sev} pulmonary edema bilaterally`, `${sev} interstitial edema, bilateral`, `bilateral ${sev} pulmonary edema`]);
      if (f.p.kerley) text += ' with kerley b lines';
      subtle = f.p.severity < 0.55 ? 0.8 : 0;
      break;
    }
    case 'Emphysema': {
      const sev = f.p.severity < 0.75 ? 'mild' : 'severe';
      r('severity', sev);
      text = pick(rng, [`${sev} emphysema`, `the lungs are hyperinflated, ${sev} emphysema`]);
      break;
    }
    case 'Pleural Thickening':
      r('side', side);
      if (f.p.apical) { r('zone', 'upper'); text = pick(rng, [`${side} apical pleural cap`, `${side} apical pleural thickening`]); }
      else text = pick(rng, [`${side} pleural thickening along the lateral chest wall`, `${side} lateral pleural thickening`]);
      break;
    case 'Fracture': {
      const n = f.p.rib;
      const ord = `${n}${n === 3 ? 'rd' : 'th'}`;
      r('side', side);
      subtle = f.p.gap < 0.016 ? 0.8 : 0.2;
      text = pick(rng, [`fracture of the ${side} ${ord} rib`, `${side} ${ord} rib fracture`, `displaced ${side} ${ord} rib fracture`]);
      break;
    }
    case 'Calcification':
      if (f.p.aortic) text = pick(rng, ['calcification of the aortic knob', 'aortic knob calcification']);
      else {
        const ty = f.blobs?.length ? f.blobs[0].ty : 0.5;
        const zone = zoneOf(ty);
        r('side', side); r('zone', zone);
        text = pick(rng, [`calcified granuloma in the ${side} ${zone} zone`, `${side} ${zone} zone calcification`]);
      }
      break;
    case 'Hernia':
      text = pick(rng, ['hiatal hernia', 'small hiatal hernia', 'retrocardiac hiatal hernia']);
      if (text.startsWith('small')) r('severity', 'small');
      if (text.startsWith('retro')) r('zone', 'lower');
      break;
    default:
      throw new Error(`report corpus: no wording for finding '${f.name}'`);
  }
  const status: Status = hedge(rng, subtle) ? 'uncertain' : 'present';
  if (status === 'uncertain') {
    text = pick(rng, [`possible ${text.replace(/^there (is|are) an? /, '')}`, `${text.replace(/^there (is|are) an? /, '')} cannot be excluded`,
      `questionable ${text.replace(/^there (is|are) an? /, '')}`]);
  }
  return { text: cap(text) + '.', entities: [`${f.name}|${status}`], relations: rel };
}

const DEVICE_NAMES: Record<string, string[]> = {
  ETT: ['endotracheal tube', 'et tube'],
  NGT: ['nasogastric tube', 'enteric tube', 'ng tube'],
  CVC: ['central venous catheter', 'central line'],
};

function deviceSentence(rng: Rng, d: DeviceSpec): Sentence {
  const name = pick(rng, DEVICE_NAMES[d.kind]);
  const pos = d.position;
  const where: Record<string, string> = {
    ETT: d.position === 'Normal' ? `with the tip ${3 + Math.round(d.depth * 3)} cm above the carina` : d.mode ? 'with the tip at the carina' : 'with the tip in the right main bronchus',
    NGT: 'with the tip below the diaphragm',
    CVC: 'with the tip in the superior vena cava',
  };
  let text: string;
  let rel: string;
  if (pos === 'Normal') {
    rel = 'normal';
    text = pick(rng, [`${name} is appropriately positioned`, `${name} in standard position`, `${name} ${where[d.kind]}, in satisfactory position`]);
  } else if (pos === 'Borderline') {
    rel = 'borderline';
    text = pick(rng, [`${name} in borderline position`, `${name} tip is slightly ${d.mode ? 'high' : 'low'}, borderline position`]);
  } else if (pos === 'Abnormal') {
    rel = 'abnormal';
    text = pick(rng, [`${name} is malpositioned`, `${name} is malpositioned and should be repositioned`]);
    if (d.kind === 'ETT' && rng.bernoulli(0.5)) text = `${name} is malpositioned ${where.ETT}`;
  } else {
    rel = 'incompletely-imaged';
    text = pick(rng, [`${name} is incompletely imaged`, `the tip of the ${name} is incompletely imaged`]);
  }
  return { text: cap(text) + '.', entities: [`${d.kind}|present`], relations: [`${d.kind}|position|${rel}`] };
}

const NEGATABLE: Record<string, string[]> = {
  Pneumothorax: ['pneumothorax'],
  Effusion: ['pleural effusion', 'effusion'],
  Consolidation: ['consolidation', 'focal consolidation'],
  Edema: ['pulmonary edema'],
};

const INDICATIONS = ['shortness of breath', 'cough', 'fever', 'chest pain', 'follow-up', 'preoperative assessment', 'hypoxia', 'fall'];

function indicationOf(rng: Rng, spec: PhantomSpec): string {
  const who = spec.sex === 'M' ? pick(rng, ['man', 'male']) : pick(rng, ['woman', 'female']);
  const why = spec.devices.length && rng.bernoulli(0.6) ? pick(rng, ['line placement', 'intubated patient', 'icu patient'])
    : pick(rng, INDICATIONS);
  return `${Math.round(spec.age)}-year-old ${who} with ${why}.`;
}

/** The report of one study (deterministic in (spec, seed, id)). */
export function writeReport(spec: PhantomSpec, id: string, seed: number): Omit<ReportRecord, 'split'> {
  if (spec.variant !== 'cxr') throw new Error(`report corpus: study ${id} is of variant '${spec.variant}'; only 'cxr' studies have reports`);
  const rng = createRng(seed).fork(`report:${id}`);
  const indication = indicationOf(rng.fork('indication'), spec);
  const wr = rng.fork('findings');
  const positive = spec.findings.map((f) => findingSentence(wr, f));
  // Shuffle the order of finding sentences; devices come first or last.
  const perm = wr.permutation(positive.length);
  const ordered = Array.from(perm, (i) => positive[i]);
  const devices = spec.devices.map((d) => deviceSentence(wr, d));
  const present = new Set(spec.findings.map((f) => f.name));
  const negatives: Sentence[] = [];
  const absent = Object.keys(NEGATABLE).filter((n) => !present.has(n));
  const chosen = absent.filter(() => wr.bernoulli(0.55));
  if (chosen.length >= 2 && wr.bernoulli(0.5)) {
    const words = chosen.map((n) => pick(wr, NEGATABLE[n]));
    negatives.push({ text: `No ${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}.`, entities: chosen.map((n) => `${n}|absent`), relations: [] });
  } else {
    for (const n of chosen) {
      const w = pick(wr, NEGATABLE[n]);
      negatives.push({ text: pick(wr, [`No ${w}.`, `There is no ${w}.`, `No evidence of ${w}.`]), entities: [`${n}|absent`], relations: [] });
    }
  }
  const normals: Sentence[] = [];
  if (!present.has('Cardiomegaly') && wr.bernoulli(0.7)) {
    normals.push({ text: pick(wr, ['Heart size is normal.', 'The cardiac silhouette is within normal limits.', 'Normal heart size.']),
      entities: ['Cardiomegaly|absent'], relations: [] });
  }
  const lungFindings = ['Effusion', 'Pneumothorax', 'Nodule', 'Mass', 'Consolidation', 'Atelectasis', 'Edema', 'Emphysema'];
  if (!lungFindings.some((n) => present.has(n)) && wr.bernoulli(0.8)) {
    normals.push({ text: pick(wr, ['The lungs are clear.', 'Lungs are clear bilaterally.', 'Clear lungs.']), entities: [], relations: [] });
  }
  if (!present.has('Fracture') && wr.bernoulli(0.3)) normals.push({ text: 'No acute osseous abnormality.', entities: [], relations: [] });
  const body = wr.bernoulli(0.7) ? [...devices, ...ordered] : [...ordered, ...devices];
  const tail = wr.bernoulli(0.5) ? [...normals, ...negatives] : [...negatives, ...normals];
  const all = [...body, ...tail];
  if (!all.length) all.push({ text: 'No acute cardiopulmonary process.', entities: [], relations: [] });
  const findings = all.map((s) => s.text).join(' ');
  const entities = [...new Set(all.flatMap((s) => s.entities))].sort();
  const relations = [...new Set(all.flatMap((s) => s.relations))].sort();
  return { id, indication, findings, entities, relations, labels: binaryLabels(findings) };
}

/**
 * The report corpus of a synthetic dataset: one record per study of `loadSynthetic(options)`, same ids and splits.
 *
 * @example
 * const corpus = buildReportCorpus({ variant: 'cxr', n: 600, size: 64, seed: 0 }, 13);
 */
export function buildReportCorpus(options: SyntheticOptions, seed: number): ReportRecord[] {
  const o = resolveSyntheticOptions(options);
  if (o.variant !== 'cxr') throw new Error(`buildReportCorpus: variant '${o.variant}' has no reports; only 'cxr' does`);
  const plan = buildPlan(o);
  const specs = planSpecs(o, plan);
  return plan.map((p, i) => ({ ...writeReport(specs[i], p.id, seed), split: p.split }));
}

export { FINDING_NAMES as REPORT_LABELS };
