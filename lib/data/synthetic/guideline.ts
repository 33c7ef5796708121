/**
 * A site's labelling guideline: from what is drawn (spec.truth + finding sizes) to what the site reports.
 * Borderline cases are called differently per site (small effusions, small nodules, thin pneumothoraces, AP hearts,
 * borderline tubes) and each site misses a fraction of positives (label noise), so labels shift between sites even
 * where images would not.
 */
import type { Rng } from '../../engine/rng';
import { DEVICE_LABELS, FINDING_NAMES, FINDINGS, NO_FINDING } from './catalogue';
import type { PopulationProfile } from './populations';
import type { PhantomSpec } from './spec';

/** AP projection magnifies the heart relative to the thorax (short source–heart distance, heart anterior). */
export const AP_HEART_MAGNIFICATION = 1.12;

/** The CTR a reader measures on the film: true CTR × AP magnification. */
export function apparentCtr(spec: PhantomSpec): number {
  const cm = spec.findings.find((f) => f.name === 'Cardiomegaly');
  const ctr = cm ? cm.p.ctr : spec.patient.anatomy.ctr;
  return ctr * (spec.view === 'AP' ? AP_HEART_MAGNIFICATION : 1);
}

export function applyGuideline(spec: PhantomSpec, pop: PopulationProfile, rng: Rng, prevalence?: Record<string, number>): Record<string, number> {
  const g = pop.guideline;
  const called: Record<string, number> = {};
  for (const n of FINDING_NAMES) called[n] = spec.truth[n] ?? 0;
  for (const f of spec.findings) {
    if (f.name === 'Effusion' && f.p.height < g.minEffusionHeight) called.Effusion = 0;
    if (f.name === 'Nodule' && f.p.r < g.minNoduleRadius) called.Nodule = 0;
    if (f.name === 'Pneumothorax' && f.p.depth < g.minPneumothoraxDepth) called.Pneumothorax = 0;
  }
  // cardiomegaly is read from the film: AP magnification can push a normal heart over the site's threshold
  called.Cardiomegaly = apparentCtr(spec) > g.ctrThreshold ? 1 : 0;

  // label noise: misses with rate labelNoise, false calls at a rate that keeps the marginal roughly in place
  for (const def of FINDINGS) {
    const target = prevalence?.[def.name] ?? def.prevalence;
    if (called[def.name]) { if (rng.bernoulli(g.labelNoise)) called[def.name] = 0; }
    else if (rng.bernoulli(g.labelNoise * target * 0.5)) called[def.name] = 1;
  }
  called[NO_FINDING] = FINDING_NAMES.some((n) => n !== 'Support Devices' && called[n]) ? 0 : 1;
  for (const l of DEVICE_LABELS) called[l] = 0;
  for (const d of spec.devices) {
    const pos = g.borderlineAsNormal && d.position === 'Borderline' ? 'Normal' : d.position;
    called[`${d.kind} - ${pos}`] = 1;
  }
  return called;
}
