/**
 * Demographics and how they move finding prevalence: p(finding | age bin, sex) = target · scale · RR_age · RR_sex / Z,
 * with Z = E[RR_age] · E[RR_sex] under the population's own age/sex mix, so the population's marginal stays at
 * the target while older / male groups carry more (or fewer) cases — the lever of the bias analysis (paper Fig. 4c/4d).
 */
import type { Rng } from '../../engine/rng';
import type { AgeBin, Sex } from '../types';
import { AGE_BINS, AGE_RANGE, FindingDef } from './catalogue';
import type { PopulationProfile } from './populations';

export function sampleSex(rng: Rng, pop: PopulationProfile): Sex {
  return rng.bernoulli(pop.femaleRate) ? 'F' : 'M';
}

/** Age: an age bin from the population's mix, then uniform within the bin (18–95 overall). */
export function sampleAge(rng: Rng, pop: PopulationProfile): number {
  const u = rng.uniform();
  let acc = 0;
  let bin: AgeBin = 'Elder';
  for (const b of AGE_BINS) {
    acc += pop.ageBinProbs[b];
    if (u < acc) { bin = b; break; }
  }
  const [lo, hi] = AGE_RANGE[bin];
  return Math.floor(rng.range(lo, hi));
}

/** P(finding) for one person. `target` overrides the catalogue prevalence. */
export function findingProbability(def: FindingDef, pop: PopulationProfile, bin: AgeBin, sex: Sex, target = def.prevalence): number {
  const ageIdx = AGE_BINS.indexOf(bin);
  const zAge = AGE_BINS.reduce((s, b, i) => s + pop.ageBinProbs[b] * def.ageRR[i], 0);
  const zSex = (1 - pop.femaleRate) * def.sexRR[1] + pop.femaleRate * def.sexRR[0];
  const rr = def.ageRR[ageIdx] * (sex === 'F' ? def.sexRR[0] : def.sexRR[1]);
  return Math.min(0.95, (target * pop.prevalenceScale * rr) / (zAge * zSex));
}
