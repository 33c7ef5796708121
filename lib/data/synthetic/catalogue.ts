/**
 * The fixed vocabulary of the synthetic world: anatomy structures, findings with their long-tail target prevalences and
 * demographic relative risks, support-device labels (RANZCR CLiP names), COVID-3 classes and spine levels.
 *
 * Prevalence targets are the marginal rates of the TRUE (drawn) finding in a population with prevalence multiplier 1;
 * age/sex relative risks redistribute cases across groups without moving that marginal (see `demographics.ts`).
 * Frequency bins follow the long-tail convention of CXR-LT (Holste et al. 2023): common > 10 %, uncommon 1–10 %, rare < 1 %.
 */
import type { AgeBin, Sex } from '../types';

/** Anatomy structures with a mask. "right"/"left" are the PATIENT's sides: patient right = image left (radiological view). */
export const RIB_NAMES = [
  ...Array.from({ length: 10 }, (_, i) => `R${i + 1}`),
  ...Array.from({ length: 10 }, (_, i) => `L${i + 1}`),
];
export const ANATOMY = [
  'body', 'right_lung', 'left_lung', 'heart', 'mediastinum', 'right_clavicle', 'left_clavicle',
  ...RIB_NAMES, 'spine', 'diaphragm',
] as const;
export type AnatomyName = (typeof ANATOMY)[number] | string;

export interface FindingDef {
  name: string;
  /** Target marginal prevalence of the drawn finding (population multiplier 1). */
  prevalence: number;
  /** Relative risk per age bin (Young, Middle, Elder). */
  ageRR: [number, number, number];
  /** Relative risk per sex (F, M). */
  sexRR: [number, number];
  /** Whether the finding has a segmentation mask (besides its box). */
  masked: boolean;
}

/** 14 findings (NIH-14 / CheXpert-style names) ordered from common to rare. */
export const FINDINGS: readonly FindingDef[] = [
  { name: 'Effusion', prevalence: 0.14, ageRR: [0.45, 0.9, 1.7], sexRR: [1, 1], masked: true },
  { name: 'Support Devices', prevalence: 0.13, ageRR: [0.6, 1, 1.35], sexRR: [0.9, 1.1], masked: false },
  { name: 'Atelectasis', prevalence: 0.12, ageRR: [0.7, 1, 1.3], sexRR: [1, 1], masked: false },
  { name: 'Cardiomegaly', prevalence: 0.08, ageRR: [0.25, 0.8, 2.0], sexRR: [0.8, 1.2], masked: false },
  { name: 'Consolidation', prevalence: 0.06, ageRR: [0.8, 0.9, 1.3], sexRR: [1, 1], masked: true },
  { name: 'Nodule', prevalence: 0.05, ageRR: [0.5, 1, 1.5], sexRR: [1, 1], masked: true },
  { name: 'Pneumothorax', prevalence: 0.04, ageRR: [1.8, 0.9, 0.6], sexRR: [0.6, 1.4], masked: true },
  { name: 'Edema', prevalence: 0.035, ageRR: [0.3, 0.8, 2.0], sexRR: [1, 1], masked: false },
  { name: 'Emphysema', prevalence: 0.03, ageRR: [0.15, 0.9, 2.2], sexRR: [0.6, 1.4], masked: false },
  { name: 'Mass', prevalence: 0.02, ageRR: [0.3, 1, 1.8], sexRR: [0.9, 1.1], masked: true },
  { name: 'Pleural Thickening', prevalence: 0.015, ageRR: [0.4, 1, 1.7], sexRR: [0.8, 1.2], masked: false },
  { name: 'Fracture', prevalence: 0.008, ageRR: [1.3, 0.8, 1.1], sexRR: [0.7, 1.3], masked: false },
  { name: 'Calcification', prevalence: 0.006, ageRR: [0.3, 1, 2.0], sexRR: [1, 1], masked: false },
  { name: 'Hernia', prevalence: 0.003, ageRR: [0.15, 0.8, 2.3], sexRR: [1.3, 0.7], masked: false },
];
export const FINDING_NAMES = FINDINGS.map((f) => f.name);
export const NO_FINDING = 'No Finding';

/** Support devices and RANZCR CLiP-style position labels. */
export type DeviceKind = 'ETT' | 'NGT' | 'CVC';
export type DevicePosition = 'Normal' | 'Borderline' | 'Abnormal' | 'Incompletely Imaged';
export const DEVICE_POSITIONS: Record<DeviceKind, DevicePosition[]> = {
  ETT: ['Normal', 'Borderline', 'Abnormal'],
  NGT: ['Normal', 'Borderline', 'Abnormal', 'Incompletely Imaged'],
  CVC: ['Normal', 'Borderline', 'Abnormal'],
};
/** P(position | device present): normal positions dominate, abnormal ones form the tail (as in RANZCR CLiP). */
export const DEVICE_POSITION_PROBS: Record<DeviceKind, number[]> = {
  ETT: [0.72, 0.2, 0.08],
  NGT: [0.7, 0.1, 0.08, 0.12],
  CVC: [0.7, 0.22, 0.08],
};
/** P(device kind | the study has support devices). */
export const DEVICE_KIND_PROBS: Record<DeviceKind, number> = { ETT: 0.45, NGT: 0.5, CVC: 0.7 };
export const DEVICE_LABELS: string[] = (Object.keys(DEVICE_POSITIONS) as DeviceKind[]).flatMap((k) =>
  DEVICE_POSITIONS[k].map((p) => `${k} - ${p}`));

/** COVID-3 variant classes (class index = position). */
export const COVID3_CLASSES = ['Normal', 'Pneumonia', 'COVID-19'] as const;
export const COVID3_PROBS = [0.4, 0.3, 0.3];

/** Spine variant: 17 vertebrae T1–T12, L1–L5 (targets: COBB_TARGETS of lib/data/targets). */
export const SPINE_LEVELS = [
  ...Array.from({ length: 12 }, (_, i) => `T${i + 1}`),
  ...Array.from({ length: 5 }, (_, i) => `L${i + 1}`),
];

export const AGE_BINS: AgeBin[] = ['Young', 'Middle', 'Elder'];
export const AGE_RANGE: Record<AgeBin, [number, number]> = { Young: [18, 35], Middle: [35, 60], Elder: [60, 96] }; // upper bound exclusive: ages 18–95
export const SEXES: Sex[] = ['F', 'M'];
