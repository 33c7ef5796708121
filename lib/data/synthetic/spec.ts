/**
 * A phantom SPEC: every random choice of one synthetic study (patient anatomy, findings with their size/contrast,
 * devices with tip positions, acquisition, labels under the site's guideline, planted cue). Rendering
 * (`generatePhantom`) is a pure function of the spec plus a noise stream, so labels can be sampled for thousands of
 * cases without drawing a pixel, and masks can be re-derived from a spec at any time.
 *
 * Coordinates are fractions of the image side: u to the right, v down. Findings inside a lung use lung-relative
 * coordinates (tx 0 = medial edge .. 1 = lateral edge, ty 0 = apex .. 1 = costophrenic level), resolved at render.
 */
import type { Rng } from '../../engine/rng';
import type { AgeBin, Sex, Split } from '../types';
import {
  COVID3_CLASSES, COVID3_PROBS, DEVICE_KIND_PROBS, DEVICE_LABELS, DEVICE_POSITION_PROBS, DEVICE_POSITIONS,
  DeviceKind, DevicePosition, FINDING_NAMES, FINDINGS, NO_FINDING, RIB_NAMES,
} from './catalogue';
import { findingProbability, sampleAge, sampleSex } from './demographics';
import { ageBin } from '../demographics';
import { applyGuideline } from './guideline';
import type { SpuriousCue } from './options';
import { getPopulation, PopulationProfile } from './populations';
import { sampleSpineSpec, SpineSpec } from './spine-spec';

export type Side = 'right' | 'left';
export type Variant = 'cxr' | 'covid3' | 'spine';

/** Patient-level anatomy (shared by all studies of a patient). */
export interface AnatomySpec {
  /** Midline u. */
  cx: number;
  /** v of the lung apices. */
  apex: number;
  /** v of the right hemidiaphragm dome top; the left dome sits `domeLeftDelta` lower. */
  dome: number;
  domeLeftDelta: number;
  /** Depth of the costophrenic angles below the dome top. */
  cpDepth: number;
  /** Internal thoracic half-width at its widest (the CTR denominator is 2 × this). */
  thoraxHalf: number;
  /** True cardiothoracic ratio when the heart is normal. */
  ctr: number;
  /** Heart rotation (rad) and height/width ratio. */
  heartTilt: number;
  heartAspect: number;
  mediastinumHalf: number;
  aorticKnob: number;
  /** Bone attenuation multiplier (falls with age, more so in older women). */
  boneDensity: number;
  /** Breast shadow strength (0 for men). */
  breast: number;
  /** Soft-tissue thickness multiplier (habitus). */
  softTissue: number;
  /** Small per-rib vertical offsets (fraction of rib spacing), R1..R10, L1..L10. */
  ribJitter: number[];
  /** Seed of the pulmonary vessel tree (patient-specific lung markings). */
  vesselSeed: number;
}

export interface PatientSpec {
  id: string;
  sex: Sex;
  /** Age at the first study. */
  age: number;
  anatomy: AnatomySpec;
}

/** One drawn finding; `p` holds its numeric parameters (documented in `sampleFinding`). */
export interface FindingSpec {
  name: string;
  side?: Side | 'both';
  p: Record<string, number>;
  /** Extra blobs / dots for patchy findings (lung-relative). */
  blobs?: { tx: number; ty: number; s: number; side?: Side }[];
}

export interface DeviceSpec {
  kind: DeviceKind;
  position: DevicePosition;
  /** Where in the position's tip range (0..1) and which abnormal mode. */
  depth: number;
  mode: number;
  /** Small path jitter. */
  wiggle: number;
}

export interface AcquisitionSpec {
  view: 'PA' | 'AP';
  contrast: number;
  gamma: number;
  noise: number;
  blurPasses: number;
  pedestal: number;
  /** Collimation rectangle [u0, v0, u1, v1] (outside is shuttered) or null. */
  collimation: [number, number, number, number] | null;
  marker: { text: string; corner: number; scale: number } | null;
}

export interface PhantomSpec {
  variant: Variant;
  population: string;
  split: Split | null;
  patient: PatientSpec;
  sex: Sex;
  age: number;
  ageBin: AgeBin;
  view: 'PA' | 'AP';
  findings: FindingSpec[];
  devices: DeviceSpec[];
  /** What is drawn (1/0), per label name. */
  truth: Record<string, number>;
  /** What the site's guideline reports (1/0), per label name. */
  labels: Record<string, number>;
  /** COVID-3 class index (variant covid3). */
  classIndex?: number;
  /** Spine geometry and Cobb angles (variant spine). */
  spine?: SpineSpec;
  /** Planted spurious cue. */
  brace: boolean;
  acquisition: AcquisitionSpec;
  /** Seed of the per-image noise / texture streams. */
  seed: number;
}

export interface SpecOptions {
  variant?: Variant;
  population?: string;
  split?: Split | null;
  spuriousCue?: SpuriousCue;
  /** Target prevalence overrides by finding name. */
  prevalence?: Record<string, number>;
  /** Reuse a patient (follow-up study); drawn when absent. */
  patient?: PatientSpec;
  /** Age of this study (defaults to the patient's age). */
  age?: number;
  /** Draw exactly these findings (and no random ones); 'Support Devices' draws devices. */
  findings?: string[];
  /** Force these devices (kind → position). */
  devices?: Partial<Record<DeviceKind, DevicePosition>>;
  /** COVID-3 class to draw (variant covid3). */
  classIndex?: number;
  /** Force the brace cue on/off. */
  brace?: boolean;
  view?: 'PA' | 'AP';
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const pickSide = (rng: Rng, pRight = 0.5): Side => (rng.bernoulli(pRight) ? 'right' : 'left');

/** Draw a patient's anatomy; sex and age shift size, heart, breast shadow and bone density. */
export function samplePatient(rng: Rng, pop: PopulationProfile, id = 'P0', sex?: Sex, age?: number): PatientSpec {
  const s = sex ?? sampleSex(rng, pop);
  const a = age ?? sampleAge(rng, pop);
  const male = s === 'M';
  const thoraxHalf = clamp((male ? 0.37 : 0.35) + 0.012 * rng.normal(), 0.32, 0.4);
  const ctr = clamp(0.41 + 0.0011 * (a - 45) + (male ? 0.005 : 0) + 0.022 * rng.normal(), 0.35, 0.49);
  const boneDensity = clamp(1 - 0.006 * Math.max(0, a - 35) - (!male && a > 50 ? 0.12 : 0) + 0.05 * rng.normal(), 0.45, 1.15);
  return {
    id,
    sex: s,
    age: a,
    anatomy: {
      cx: 0.5 + 0.01 * rng.normal(),
      apex: clamp(0.115 + 0.012 * rng.normal(), 0.08, 0.15),
      dome: clamp(0.7 + 0.02 * rng.normal() + (male ? 0.01 : 0), 0.63, 0.76),
      domeLeftDelta: clamp(0.025 + 0.01 * rng.normal(), 0, 0.05),
      cpDepth: clamp(0.075 + 0.01 * rng.normal(), 0.05, 0.1),
      thoraxHalf,
      ctr,
      heartTilt: -0.42 + 0.08 * rng.normal(),
      heartAspect: clamp(0.72 + 0.05 * rng.normal(), 0.6, 0.85),
      mediastinumHalf: clamp(0.055 + 0.006 * rng.normal() + 0.0002 * (a - 45), 0.042, 0.075),
      aorticKnob: clamp(0.018 + 0.0003 * (a - 45) + 0.006 * rng.normal(), 0.005, 0.04),
      boneDensity,
      breast: male ? 0 : clamp(0.8 + 0.25 * rng.normal(), 0.3, 1.4),
      softTissue: clamp(1 + 0.12 * rng.normal(), 0.75, 1.35),
      ribJitter: Array.from({ length: RIB_NAMES.length }, () => 0.08 * rng.normal()),
      vesselSeed: (rng.uniform() * 2 ** 32) >>> 0,
    },
  };
}

/**
 * Parameters of one finding. Sizes and contrasts are drawn per case so difficulty varies; every finding stays
 * visible at 64–112 px at its strong end.
 */
export function sampleFinding(rng: Rng, name: string): FindingSpec {
  switch (name) {
    case 'Effusion': {
      // height: meniscus height above the costophrenic angle (small 0.02–0.06, moderate up to 0.18)
      const small = rng.bernoulli(0.5);
      const u = rng.uniform();
      return {
        name, side: u < 0.4 ? 'right' : u < 0.75 ? 'left' : 'both',
        p: { height: small ? rng.range(0.025, 0.06) : rng.range(0.06, 0.22), contrast: rng.range(0.75, 1) },
      };
    }
    case 'Pneumothorax':
      // depth: width of the air rim at the lateral wall; extent: fraction of lung height it covers from the apex
      return { name, side: pickSide(rng), p: { depth: 0.02 + 0.08 * rng.uniform() ** 1.3, extent: rng.range(0.5, 0.95) } };
    case 'Nodule':
      return {
        name, side: pickSide(rng),
        p: { tx: rng.range(0.25, 0.8), ty: rng.range(0.15, 0.75), r: 0.018 + 0.027 * rng.uniform() ** 1.5, contrast: rng.range(0.4, 0.85) },
      };
    case 'Mass':
      return {
        name, side: pickSide(rng),
        p: {
          tx: rng.range(0.35, 0.7), ty: rng.range(0.25, 0.65), r: rng.range(0.04, 0.075), contrast: rng.range(0.5, 0.9),
          a1: rng.range(0.04, 0.14), f1: rng.range(0, 6.283), a2: rng.range(0.02, 0.08), f2: rng.range(0, 6.283),
        },
      };
    case 'Consolidation': {
      const side = pickSide(rng);
      const tx = rng.range(0.35, 0.75), ty = rng.range(0.4, 0.82);
      const k = 3 + rng.int(4);
      const blobs = Array.from({ length: k }, () => ({
        tx: clamp(tx + 0.18 * rng.normal(), 0.1, 0.95), ty: clamp(ty + 0.08 * rng.normal(), 0.2, 0.95), s: rng.range(0.025, 0.05),
      }));
      return { name, side, p: { contrast: rng.range(0.45, 0.9), seed: (rng.uniform() * 2 ** 32) >>> 0 }, blobs };
    }
    case 'Atelectasis':
      // plate-like (discoid) band in the lower zone
      return {
        name, side: pickSide(rng),
        p: {
          tx: rng.range(0.35, 0.65), ty: rng.range(0.55, 0.8), angle: rng.range(-0.35, 0.35), length: rng.range(0.11, 0.2),
          thickness: rng.range(0.016, 0.034), contrast: rng.range(0.6, 0.95),
        },
      };
    case 'Cardiomegaly':
      return { name, p: { ctr: 0.52 + 0.14 * rng.uniform() ** 1.2 } };
    case 'Edema':
      return { name, side: 'both', p: { severity: rng.range(0.45, 1), kerley: rng.int(2) } };
    case 'Emphysema':
      return { name, side: 'both', p: { severity: rng.range(0.5, 1) } };
    case 'Pleural Thickening':
      return rng.bernoulli(0.35)
        ? { name, side: pickSide(rng), p: { apical: 1, ty0: 0, ty1: rng.range(0.12, 0.22), depth: rng.range(0.014, 0.03) } }
        : { name, side: pickSide(rng), p: { apical: 0, ty0: rng.range(0.25, 0.45), ty1: rng.range(0.6, 0.85), depth: rng.range(0.012, 0.026) } };
    case 'Fracture': {
      const side = pickSide(rng);
      const rib = 3 + rng.int(6); // ribs 3..8, over the lung field
      return {
        name, side,
        p: { rib, t: rng.range(0.45, 0.8), gap: rng.range(0.012, 0.026), offset: (rng.bernoulli(0.5) ? 1 : -1) * rng.range(0.006, 0.016), callus: rng.uniform() },
      };
    }
    case 'Calcification': {
      const side = pickSide(rng);
      if (rng.bernoulli(0.3)) return { name, side, p: { aortic: 1, r: rng.range(0.008, 0.014) } };
      const k = 1 + rng.int(3);
      const tx = rng.range(0.3, 0.8), ty = rng.range(0.2, 0.7);
      const blobs = Array.from({ length: k }, () => ({ tx: tx + 0.05 * rng.normal(), ty: ty + 0.03 * rng.normal(), s: rng.range(0.012, 0.02) }));
      return { name, side, p: { aortic: 0 }, blobs };
    }
    case 'Hernia':
      return { name, p: { r: rng.range(0.035, 0.06), dx: rng.range(-0.02, 0.03), level: rng.range(0.35, 0.6) } };
    default:
      throw new Error(`invalid finding: ${name}`);
  }
}

function sampleDevice(rng: Rng, kind: DeviceKind, position?: DevicePosition): DeviceSpec {
  let pos = position;
  if (!pos) {
    const probs = DEVICE_POSITION_PROBS[kind];
    const u = rng.uniform();
    let acc = 0;
    pos = DEVICE_POSITIONS[kind][probs.length - 1];
    for (let i = 0; i < probs.length; i++) { acc += probs[i]; if (u < acc) { pos = DEVICE_POSITIONS[kind][i]; break; } }
  }
  return { kind, position: pos, depth: rng.uniform(), mode: rng.int(2), wiggle: rng.normal() };
}

function sampleAcquisition(rng: Rng, pop: PopulationProfile, view?: 'PA' | 'AP'): AcquisitionSpec {
  const a = pop.acquisition;
  const v = view ?? (rng.bernoulli(a.apRate) ? 'AP' : 'PA');
  const collimated = rng.bernoulli(a.collimationRate);
  return {
    view: v,
    contrast: a.contrast * Math.exp(0.08 * rng.normal()),
    gamma: a.gamma * Math.exp(0.05 * rng.normal()),
    noise: a.noise * rng.range(0.7, 1.3),
    blurPasses: a.blurPasses,
    pedestal: a.pedestal,
    collimation: collimated
      ? [rng.range(0.01, 0.08), rng.range(0.0, 0.05), 1 - rng.range(0.01, 0.08), 1 - rng.range(0.0, 0.05)]
      : null,
    marker: a.markers.length ? { text: a.markers[rng.int(a.markers.length)], corner: rng.int(2), scale: rng.range(0.8, 1.2) } : null,
  };
}

/**
 * Draw one study. All randomness of a case lives here; `generatePhantom(spec, rng)` only adds noise and texture.
 *
 * @example
 * const spec = samplePhantomSpec(createRng(1), { population: 'popB' });
 * const { image, masks, boxes } = generatePhantom(spec, createRng(spec.seed), { size: 112 });
 */
export function samplePhantomSpec(rng: Rng, options: SpecOptions = {}): PhantomSpec {
  const variant = options.variant ?? 'cxr';
  const pop = getPopulation(options.population ?? 'popA');
  const patient = options.patient ?? samplePatient(rng.fork('patient'), pop);
  const age = options.age ?? patient.age;
  const bin = ageBin(age);
  // the bias figures' age groups cover 0–100 years; a phantom outside them would carry no age group
  if (bin === null) throw new Error(`samplePhantomSpec: age ${age} is outside the age bins (0–100 years)`);
  const sex = patient.sex;
  const acquisition = sampleAcquisition(rng.fork('acquisition'), pop, options.view ?? (variant === 'spine' ? 'PA' : undefined));
  const seed = (rng.uniform() * 2 ** 32) >>> 0;
  const base = {
    variant, population: pop.id, split: options.split ?? null, patient, sex, age, ageBin: bin,
    view: acquisition.view, acquisition, seed,
  };

  if (variant === 'spine') {
    const spine = sampleSpineSpec(rng.fork('spine'));
    return { ...base, findings: [], devices: [], truth: {}, labels: {}, spine, brace: false };
  }
  if (variant === 'covid3') {
    const frng = rng.fork('covid3');
    let cls = options.classIndex;
    if (cls === undefined) {
      const u = frng.uniform();
      cls = u < COVID3_PROBS[0] ? 0 : u < COVID3_PROBS[0] + COVID3_PROBS[1] ? 1 : 2;
    }
    const findings: FindingSpec[] = [];
    if (cls === 1) {
      const side = pickSide(frng, 0.55);
      const lobes = side === 'right' ? 3 : 2;
      findings.push({ name: 'LobarPneumonia', side, p: { lobe: frng.int(lobes), lobes, contrast: frng.range(0.55, 0.95), seed: (frng.uniform() * 2 ** 32) >>> 0 } });
    } else if (cls === 2) {
      const blobs: NonNullable<FindingSpec['blobs']> = [];
      for (const side of ['right', 'left'] as Side[]) {
        const k = 3 + frng.int(4);
        for (let i = 0; i < k; i++) blobs.push({ side, tx: frng.range(0.6, 0.98), ty: frng.range(0.45, 0.95), s: frng.range(0.03, 0.06) });
      }
      findings.push({ name: 'CovidGGO', side: 'both', p: { severity: frng.range(0.35, 0.9), seed: (frng.uniform() * 2 ** 32) >>> 0 }, blobs });
    }
    const labels: Record<string, number> = {};
    COVID3_CLASSES.forEach((c, i) => { labels[c] = i === cls ? 1 : 0; });
    return { ...base, findings, devices: [], truth: { ...labels }, labels, classIndex: cls, brace: false };
  }

  // --- cxr: findings by demographics-adjusted prevalence (or forced) ---
  const frng = rng.fork('findings');
  const wanted: string[] = [];
  if (options.findings) wanted.push(...options.findings);
  else {
    for (const def of FINDINGS) {
      const target = options.prevalence?.[def.name] ?? def.prevalence;
      const p = findingProbability(def, pop, bin, sex, target * (def.name === 'Support Devices' ? pop.deviceScale : 1));
      if (frng.bernoulli(p)) wanted.push(def.name);
    }
  }
  const findings = wanted.filter((n) => n !== 'Support Devices').map((n) => sampleFinding(rng.fork(`finding:${n}`), n));
  const drng = rng.fork('devices');
  const devices: DeviceSpec[] = [];
  if (options.devices && Object.keys(options.devices).length) {
    for (const [k, pos] of Object.entries(options.devices)) devices.push(sampleDevice(drng, k as DeviceKind, pos));
  } else if (wanted.includes('Support Devices')) {
    for (const k of Object.keys(DEVICE_KIND_PROBS) as DeviceKind[]) if (drng.bernoulli(DEVICE_KIND_PROBS[k])) devices.push(sampleDevice(drng, k));
    if (!devices.length) devices.push(sampleDevice(drng, 'CVC'));
  }
  const truth: Record<string, number> = {};
  for (const n of FINDING_NAMES) truth[n] = 0;
  for (const f of findings) truth[f.name] = 1;
  truth['Support Devices'] = devices.length ? 1 : 0;
  truth[NO_FINDING] = FINDING_NAMES.some((n) => n !== 'Support Devices' && truth[n]) ? 0 : 1;
  for (const l of DEVICE_LABELS) truth[l] = 0;
  for (const d of devices) truth[`${d.kind} - ${d.position}`] = 1;

  // planted cue: correlated with the finding only in the cued splits
  let brace = options.brace ?? false;
  const cue = options.spuriousCue;
  if (options.brace === undefined && cue && cue !== 'off') {
    const crng = rng.fork('cue');
    const cued = options.split ? cue.splits.includes(options.split) : true;
    brace = crng.bernoulli(cued && truth[cue.finding] ? cue.cooccurrence : cue.baseRate);
  }
  const spec: PhantomSpec = { ...base, findings, devices, truth, labels: {}, brace };
  spec.labels = applyGuideline(spec, pop, rng.fork('labels'), options.prevalence);
  return spec;
}

/** Label names of a variant, in table column order. */
export function labelNamesFor(variant: Variant): string[] {
  if (variant === 'covid3') return [...COVID3_CLASSES];
  if (variant === 'spine') return [];
  return [...FINDING_NAMES, NO_FINDING, ...DEVICE_LABELS];
}
