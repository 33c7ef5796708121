/**
 * "Populations": simulated sites that differ in demographics, disease mix, acquisition (contrast, gamma, noise,
 * blur, collimation, burned-in markers, AP/PA mix) AND in labelling guideline (which borderline cases are called
 * positive, label-noise rate). Training on one and testing on another is a real distribution shift, in the spirit of
 * the cross-site generalization experiments of the RayDINO paper (Fig. 4a).
 */
import type { AgeBin } from '../types';
import type { Profile } from '../../config/profiles';

export interface AcquisitionProfile {
  /** P(AP view); AP films magnify the heart (~12 %) and raise the clavicles. */
  apRate: number;
  /** Exposure: display = 1 - exp(-contrast * attenuation). */
  contrast: number;
  /** Display gamma applied after windowing (< 1 brightens / washes out). */
  gamma: number;
  /** Additive Gaussian noise std on [0, 1] intensities (scaled by a dose factor drawn per image). */
  noise: number;
  /** Extra separable blur passes (each a [1,2,1]/4 kernel) modelling detector resolution. */
  blurPasses: number;
  /** Probability of visible collimation (bright shuttered borders). */
  collimationRate: number;
  /** Burned-in marker texts drawn from this list (one per image, top corner). */
  markers: string[];
  /** Intensity offset of the black level (scanner pedestal). */
  pedestal: number;
}

export interface LabelGuideline {
  /** Effusions smaller than this meniscus height (fraction of image) are labelled negative. 0 = every effusion positive. */
  minEffusionHeight: number;
  /** Apparent (as-projected) cardiothoracic ratio above which Cardiomegaly is called. */
  ctrThreshold: number;
  /** Nodules smaller than this radius (fraction of image) are not called. */
  minNoduleRadius: number;
  /** Pneumothorax rims thinner than this (fraction of image) are not called. */
  minPneumothoraxDepth: number;
  /** Whether 'Borderline' device positions are reported as 'Normal'. */
  borderlineAsNormal: boolean;
  /** Per-label probability that a true positive is missed (and, scaled by prevalence, that a negative is called). */
  labelNoise: number;
}

export interface PopulationProfile {
  id: string;
  description: string;
  /** P(sex = F). */
  femaleRate: number;
  ageBinProbs: Record<AgeBin, number>;
  /** Multiplies every finding's target prevalence (sicker / healthier site). */
  prevalenceScale: number;
  /** Multiplies the support-device rate (ICU-heavy sites). */
  deviceScale: number;
  acquisition: AcquisitionProfile;
  guideline: LabelGuideline;
}

export const POPULATIONS: Record<string, PopulationProfile> = {
  popA: {
    id: 'popA',
    description: 'Outpatient-heavy site: mostly PA, clean low-noise detector, inclusive labelling (small effusions called).',
    femaleRate: 0.5,
    ageBinProbs: { Young: 0.3, Middle: 0.4, Elder: 0.3 },
    prevalenceScale: 1,
    deviceScale: 1,
    acquisition: { apRate: 0.1, contrast: 1.7, gamma: 1.0, noise: 0.012, blurPasses: 0, collimationRate: 0.05, markers: ['R'], pedestal: 0.0 },
    guideline: { minEffusionHeight: 0, ctrThreshold: 0.5, minNoduleRadius: 0, minPneumothoraxDepth: 0, borderlineAsNormal: false, labelNoise: 0.02 },
  },
  popB: {
    id: 'popB',
    description: 'ICU/portable site: mostly AP, noisier and blurrier, collimation borders, "PORTABLE" marker; '
      + 'conservative labelling (small effusions, small nodules and thin pneumothoraces not called; AP hearts judged at CTR > 0.56).',
    femaleRate: 0.42,
    ageBinProbs: { Young: 0.2, Middle: 0.35, Elder: 0.45 },
    prevalenceScale: 1.25,
    deviceScale: 2.2,
    acquisition: { apRate: 0.75, contrast: 1.35, gamma: 0.8, noise: 0.035, blurPasses: 2, collimationRate: 0.6, markers: ['AP', 'PORTABLE', 'L'], pedestal: 0.06 },
    guideline: { minEffusionHeight: 0.06, ctrThreshold: 0.56, minNoduleRadius: 0.03, minPneumothoraxDepth: 0.04, borderlineAsNormal: false, labelNoise: 0.06 },
  },
  popC: {
    id: 'popC',
    description: 'Screening site on an older scanner: high contrast / gamma, low resolution, letter markers, younger cohort; '
      + 'borderline device positions reported as normal, noisiest labels.',
    femaleRate: 0.58,
    ageBinProbs: { Young: 0.45, Middle: 0.4, Elder: 0.15 },
    prevalenceScale: 0.8,
    deviceScale: 0.6,
    acquisition: { apRate: 0.35, contrast: 2.2, gamma: 1.35, noise: 0.022, blurPasses: 3, collimationRate: 0.15, markers: ['PA', 'D', 'STD'], pedestal: 0.02 },
    guideline: { minEffusionHeight: 0.03, ctrThreshold: 0.52, minNoduleRadius: 0.02, minPneumothoraxDepth: 0.02, borderlineAsNormal: true, labelNoise: 0.09 },
  },
};

export function getPopulation(id: string): PopulationProfile {
  const p = POPULATIONS[id];
  if (!p) throw new Error(`invalid population: ${id} (known: ${Object.keys(POPULATIONS).join(', ')})`);
  return p;
}

/** The synthetic populations the profile mixes (the first `profile.data.populations` of the generator's), ≥ 2 of them. */
export function profilePopulations(profile: Profile): string[] {
  const all = Object.keys(POPULATIONS);
  const n = Math.max(2, Math.min(all.length, profile.data.populations));
  return all.slice(0, n);
}
