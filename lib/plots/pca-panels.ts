/** DINOv2's Fig. 1 display: each X-ray beside the PCA colour map of its patch features, per encoder. */
import type { SampleTable } from '../data/types';
import type { FeatureSet } from '../features/feature-set';
import { featurePcaMap } from '../analysis/patch-pca-map';
import { pcaMapPng } from '../analysis/pca-map-image';
import type { Panel } from './panel-grid';

/**
 * Panels image | PCA map per encoder, one row per example: DINOv2's Fig. 1 display, the PCA fitted jointly over the
 * examples of each encoder (lib/analysis featurePcaMap). `features` maps an encoder label to its test-split FeatureSet.
 */
export async function pcaPanels(samples: SampleTable, features: { label: string; set: FeatureSet }[], ids: readonly string[], size = 128): Promise<{ panels: Panel[]; cols: number; explained: Record<string, number[]> }> {
  if (!features.length) throw new Error('pcaPanels: no encoders');
  const maps = features.map((f) => ({ label: f.label, map: featurePcaMap(f.set, ids) }));
  const panels: Panel[] = [];
  for (let i = 0; i < ids.length; i++) {
    panels.push({ image: { image: await samples.loadImage(ids[i]) }, title: ids[i] });
    for (const { label, map } of maps) panels.push({ image: await pcaMapPng(map.rgb[i], map.gridH, map.gridW, size), title: label });
  }
  return { panels, cols: 1 + maps.length, explained: Object.fromEntries(maps.map((m) => [m.label, m.map.explained])) };
}
