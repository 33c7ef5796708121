/** Normalisation of demographic fields across datasets (sex spellings, ages, the paper's age bins). */
import type { AgeBin, Sex } from './types';
import { DEFAULT_AGE_BINS } from './manifest';

const SEX: Record<string, Sex> = { m: 'M', male: 'M', man: 'M', h: 'M', f: 'F', female: 'F', woman: 'F', w: 'F' };

/** 'M' / 'Male' / 'male' → 'M'; 'F' / 'Female' → 'F'; blank, 'Unknown', 'O' … → null. */
export function normaliseSex(raw: string | null | undefined): Sex | null {
  if (raw == null) return null;
  return SEX[raw.trim().toLowerCase()] ?? null;
}

const MISSING_AGE = new Set(['', '?', 'na', 'n/a', 'nan', 'none', 'null', 'unknown']);

/**
 * Age in years or null. Accepts numbers and DICOM age strings ('045Y', '006M', '010D', '002W').
 * Blank and explicit missing markers ('?', 'NA', 'N/A', 'NaN', 'None', 'null', 'unknown') are null, and so are values
 * outside [minValid, 120] (CheXpert's age 0 means unknown; NIH 2017 had ages > 100). Any other text ('abc') throws,
 * prefixed by `where` (the parsers pass file:line and column), as docs/data.md promises for unparsable values.
 */
export function normaliseAge(raw: string | number | null | undefined, minValid = 0, where = 'age'): number | null {
  if (raw == null) return null;
  let v: number;
  if (typeof raw === 'number') v = raw;
  else {
    const s = raw.trim();
    if (MISSING_AGE.has(s.toLowerCase())) return null;
    const m = /^(\d+(?:\.\d+)?)\s*([YMWD])$/i.exec(s);
    if (m) {
      const k = { Y: 1, M: 1 / 12, W: 7 / 365.25, D: 1 / 365.25 }[m[2].toUpperCase() as 'Y' | 'M' | 'W' | 'D'];
      v = Number(m[1]) * k;
    } else {
      v = Number(s);
      if (Number.isNaN(v)) throw new Error(`${where}: not an age: '${s}' (years, a DICOM age such as 045Y, or blank for unknown)`);
    }
  }
  if (!Number.isFinite(v) || v < minValid || v > 120) return null;
  return v;
}

/** Age bin: Young [0, 35), Middle [35, 60), Elder [60, 100] by default (upper bound of the last bin inclusive). */
export function ageBin(age: number | null, bins: readonly { name: AgeBin; min: number; max: number }[] = DEFAULT_AGE_BINS): AgeBin | null {
  if (age == null || !Number.isFinite(age)) return null;
  for (let i = 0; i < bins.length; i++) {
    const b = bins[i];
    const last = i === bins.length - 1;
    if (age >= b.min && (age < b.max || (last && age <= b.max))) return b.name;
  }
  return null;
}
