/** Encoder metadata for the scaling ablation: parameter counts from the registry and pretraining populations. */
import { modelParams } from '../models/registry';
import { configPopulations, type SessionEncoder } from './encoders';

/** The session's encoders with `params` (from their architecture) and `populations` (from config.json, singular or plural key). */
export function encodersWithParams(encoders: readonly SessionEncoder[]): SessionEncoder[] {
  return encoders.map((e) => {
    // from the shapes, no tensor built: cheap enough to compute per encoder
    const params = e.params ?? (e.arch ? modelParams(e.arch) : undefined);
    return { ...e, params, populations: e.populations?.length ? e.populations : configPopulations(e.spec) };
  });
}
