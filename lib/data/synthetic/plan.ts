/**
 * The study plan of a synthetic dataset: patients (population drawn by the mixing weights, 1 + geometric number of
 * studies), the patient-level split (seeded permutation, fractions e.g. 80/10/10 — no patient in two splits), and
 * each study's spec. Everything is a pure function of the resolved options, so specs (and hence masks) can be
 * re-derived from a cache entry at any time.
 */
import { createRng } from '../../engine/rng';
import type { Split } from '../types';
import type { ResolvedSyntheticOptions } from './options';
import { getPopulation } from './populations';
import { PatientSpec, PhantomSpec, samplePatient, samplePhantomSpec } from './spec';

export interface PlannedStudy {
  index: number;
  id: string;
  patient: string;
  study: string;
  population: string;
  split: Split;
  patientIndex: number;
  /** Order of this study within its patient (0 = first). */
  visit: number;
}

export function buildPlan(o: ResolvedSyntheticOptions): PlannedStudy[] {
  const rng = createRng(o.seed).fork('plan');
  const weights = o.populations;
  const pickPop = () => {
    const u = rng.uniform();
    let acc = 0;
    for (const w of weights) { acc += w.weight; if (u < acc) return w.id; }
    return weights[weights.length - 1].id;
  };
  const extraMean = o.studiesPerPatient - 1;
  const pStop = 1 / (1 + extraMean); // geometric number of follow-ups with this mean
  const patients: { pop: string; visits: number }[] = [];
  let total = 0;
  while (total < o.n) {
    let visits = 1;
    while (visits < 8 && !rng.bernoulli(pStop)) visits++;
    visits = Math.min(visits, o.n - total);
    patients.push({ pop: pickPop(), visits });
    total += visits;
  }
  // patient-level split
  const [a, b, c] = o.splits;
  const sum = a + b + c;
  if (!(sum > 0)) throw new Error('invalid splits: fractions sum to 0');
  const perm = createRng(o.seed).fork('splits').permutation(patients.length);
  const split: Split[] = new Array(patients.length);
  const nTrain = Math.round((a / sum) * patients.length), nVal = Math.round((b / sum) * patients.length);
  perm.forEach((p, rank) => { split[p] = rank < nTrain ? 'train' : rank < nTrain + nVal ? 'val' : 'test'; });
  const tag = o.variant === 'cxr' ? 'cxr' : o.variant;
  const plan: PlannedStudy[] = [];
  patients.forEach((p, pi) => {
    for (let v = 0; v < p.visits; v++) {
      const index = plan.length;
      plan.push({
        index, id: `syn-${tag}-${String(index).padStart(6, '0')}`, patient: `P${String(pi).padStart(6, '0')}`,
        study: `S${String(index).padStart(6, '0')}`, population: p.pop, split: split[pi], patientIndex: pi, visit: v,
      });
    }
  });
  return plan;
}

/** The spec of every planned study (patients shared across their studies; age grows by 0–2 years per visit). */
export function planSpecs(o: ResolvedSyntheticOptions, plan: PlannedStudy[]): PhantomSpec[] {
  const root = createRng(o.seed);
  const patients = new Map<number, PatientSpec>();
  return plan.map((s) => {
    let patient = patients.get(s.patientIndex);
    if (!patient) {
      patient = samplePatient(root.fork(`patient:${s.patientIndex}`), getPopulation(s.population), s.patient);
      patients.set(s.patientIndex, patient);
    }
    const age = Math.min(95, patient.age + Math.floor(s.visit * 1.3));
    return samplePhantomSpec(root.fork(`study:${s.index}`), {
      variant: o.variant, population: s.population, split: s.split, spuriousCue: o.spuriousCue, prevalence: o.prevalence,
      patient, age,
    });
  });
}
