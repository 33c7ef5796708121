/** SampleRecord[] + splits → the arquero SampleTable of lib/data/types.ts. */
import * as aq from 'arquero';
import { ageBin } from './demographics';
import type { Manifest } from './manifest';
import type { ParsedDataset, Problem, SampleRecord } from './record';
import { decodeImageFile } from './image';
import type { SampleTable, Split } from './types';

/**
 * Build the normalised table. Column order: id, path, patient, study, view, sex, age, age_bin, population, split,
 * width, height, one column per label (1/0/NaN), `class` (multi-class index) when classNames exist, one column per
 * regression target, then the parser's extra columns.
 */
export function buildSampleTable(manifest: Manifest, parsed: ParsedDataset, records: SampleRecord[], splits: Split[], problems: Problem[]): SampleTable {
  const bins = manifest.demographics.ageBins;
  const cols: Record<string, unknown[]> = {
    id: records.map((r) => r.id),
    path: records.map((r) => r.path),
    patient: records.map((r) => r.patient),
    study: records.map((r) => r.study),
    view: records.map((r) => r.view),
    sex: records.map((r) => r.sex),
    age: records.map((r) => r.age),
    age_bin: records.map((r) => ageBin(r.age, bins)),
    population: records.map(() => manifest.population),
    split: splits,
    width: records.map((r) => r.width),
    height: records.map((r) => r.height),
  };
  for (const l of parsed.labelNames) {
    if (l in cols) throw new Error(`manifest ${manifest.id}: label '${l}' collides with a fixed column`);
    cols[l] = records.map((r) => r.labels[l] ?? NaN);
  }
  if (parsed.classNames) cols.class = records.map((r) => r.class ?? NaN);
  for (const t of parsed.targetNames ?? []) cols[t] = records.map((r) => r.targets?.[t] ?? NaN);
  const extraKeys = new Set<string>();
  for (const r of records) for (const k of Object.keys(r.extra ?? {})) extraKeys.add(k);
  for (const k of extraKeys) if (!(k in cols)) cols[k] = records.map((r) => r.extra?.[k] ?? null);

  const byId = new Map<string, SampleRecord>();
  for (const r of records) {
    if (byId.has(r.id)) throw new Error(`dataset ${manifest.id}: duplicate sample id '${r.id}'${r.file ? ` (${r.file}:${r.line})` : ''}`);
    byId.set(r.id, r);
  }
  const get = (id: string) => {
    const r = byId.get(id);
    if (!r) throw new Error(`dataset ${manifest.id}: no sample '${id}' in this table`);
    return r;
  };
  const st: SampleTable = {
    dataset: manifest.id,
    table: aq.table(cols),
    labelNames: parsed.labelNames.slice(),
    problems,
    loadImage: async (id) => {
      const r = get(id);
      if (parsed.decode) return parsed.decode(r);
      if (!r.path) throw new Error(`dataset ${manifest.id}: sample '${id}' has no image path`);
      return decodeImageFile(r.path);
    },
  };
  if (parsed.classNames) st.classNames = parsed.classNames.slice();
  if (parsed.targetNames) st.targetNames = parsed.targetNames.slice();
  if (parsed.maskClasses) st.maskClasses = parsed.maskClasses.slice();
  if (parsed.boxes) st.boxes = parsed.boxes.filter((b) => byId.has(b.id));
  if (parsed.masks) { const m = parsed.masks; st.loadMasks = (id) => m(get(id)); }
  return st;
}
