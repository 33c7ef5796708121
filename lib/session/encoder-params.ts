/** Encoder metadata for the scaling ablation: parameter counts from the registry and pretraining populations. */
import { modelParams } from '../models/registry';
import { configPopulations, type SessionEncoder } from './encoders';

/** The session's encoders with `params` (from their architecture) and `populations` (from config.json, singular or plural key). */
export function encodersWithParams(encoders: readonly SessionEncoder[]): SessionEncoder[] {
  const cache = new Map<string, number>();
  return encoders.map((e) => {
    let params = e.params;
    if (params === undefined && e.arch) {
      if (!cache.has(e.arch)) cache.set(e.arch, modelParams(e.arch));
      params = cache.get(e.arch);
    }
    return { ...e, params, populations: e.populations?.length ? e.populations : configPopulations(e.spec) };
  });
}
