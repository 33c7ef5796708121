/**
 * The feature-cache key: sha256 of everything the features depend on, so a changed input never serves a stale cache:
 * the encoder's identity (its weights hash), the dataset's identity (name, caller-supplied key such as a manifest hash
 * and generator options, a fingerprint of the images themselves), the split and the ordered sample ids, the
 * preprocessing (input size, channels, mean, std) and the encoder's precision (int8 ≠ fp32 features). Which arrays an entry holds (patches, intermediate blocks) is NOT part
 * of the key: they are components of the one entry (./feature-cache), added when first requested.
 */
import { sha256 } from '../io/hash';
import type { EncoderInfo } from './encoder';

/** 2: blocks and patches left the key (components of one entry). */
export const CACHE_FORMAT_VERSION = 2;

export interface CacheKeyParts {
  format: number;
  encoder: string;
  encoderName: string;
  dataset: string;
  /** Caller's dataset identity (manifest hash, generator options), '' when none. */
  datasetKey: string;
  /** Hash of image content / file stats (see fingerprintImages in ./extract). */
  fingerprint: string;
  split: string;
  /** sha256 of the ordered ids (the ids themselves live in meta.json). */
  idsHash: string;
  n: number;
  preprocessing: { inputSize: number; channels: number; mean: number[]; std: number[] };
  /** The encoder's precision when not fp32 (absent for fp32, so entries cached before the int8 path keep their keys). */
  precision?: string;
}

export { sha256 };

export function keyParts(enc: EncoderInfo, p: { dataset: string; datasetKey?: string; fingerprint: string; split: string; ids: readonly string[] }): CacheKeyParts {
  return {
    format: CACHE_FORMAT_VERSION,
    encoder: enc.id,
    encoderName: enc.name,
    dataset: p.dataset,
    datasetKey: p.datasetKey ?? '',
    fingerprint: p.fingerprint,
    split: p.split,
    idsHash: sha256(p.ids.join('\n')),
    n: p.ids.length,
    preprocessing: { inputSize: enc.inputSize, channels: enc.channels, mean: [...enc.mean], std: [...enc.std] },
    ...(enc.precision && enc.precision !== 'fp32' ? { precision: enc.precision } : {}),
  };
}

/** Canonical JSON (sorted keys) → sha256 hex. */
export function cacheKey(parts: CacheKeyParts): string {
  return sha256(canonical(parts));
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
