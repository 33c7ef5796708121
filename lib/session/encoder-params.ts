/** Encoder metadata for the scaling ablation: parameter counts from the registry and pretraining populations. */
import * as fs from 'fs';
import * as path from 'path';
import { createViT } from '../models/registry';
import type { SessionEncoder } from './encoders';

/** Parameter count of a registry architecture (the ViT backbone, built once and disposed). */
export function archParams(arch: string): number {
  const vit = createViT(arch, {}, 0);
  try { return vit.numParams; } finally { vit.dispose(); }
}

/** The session's encoders with `params` (from their architecture) and `populations` (from config.json, singular or plural key). */
export function encodersWithParams(encoders: readonly SessionEncoder[]): SessionEncoder[] {
  const cache = new Map<string, number>();
  return encoders.map((e) => {
    let params = e.params;
    if (params === undefined && e.arch) {
      if (!cache.has(e.arch)) cache.set(e.arch, archParams(e.arch));
      params = cache.get(e.arch);
    }
    return { ...e, params, populations: e.populations?.length ? e.populations : configPopulations(e.spec) };
  });
}

/** Pretraining populations named in a checkpoint's config.json (`data.populations` or `data.population`). */
export function configPopulations(dir: string): string[] | undefined {
  const file = path.join(dir, 'config.json');
  if (!fs.existsSync(file)) return undefined;
  const d = JSON.parse(fs.readFileSync(file, 'utf8'))?.data ?? {};
  if (Array.isArray(d.populations) && d.populations.length) return d.populations.map(String);
  if (typeof d.population === 'string') return [d.population];
  return undefined;
}
