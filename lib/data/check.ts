/**
 * Dataset check: load a dataset against its manifest (decoding every image header) and summarise it —
 * counts per split, label prevalence, demographics, missing/unreadable files. Used by `raydino data check`.
 */
import { loadDataset } from './load';
import { loadManifest, parseManifest, type Manifest } from './manifest';
import type { LoadOptions, Problem } from './record';
import type { SampleTable } from './types';

export interface LabelCount { positive: number; negative: number; unknown: number; prevalence: number }

export interface DataCheckReport {
  dataset: string;
  images: number;
  patients: number;
  expected?: { images?: number; patients?: number };
  splits: Record<string, { images: number; patients: number }>;
  labels: Record<string, LabelCount>;
  classes?: Record<string, number>;
  /** Regression targets: known count, min, max, mean. */
  targets: Record<string, { known: number; min: number | null; max: number | null; mean: number | null }>;
  sex: Record<string, number>;
  ageBins: Record<string, number>;
  age: { known: number; min: number | null; max: number | null; mean: number | null };
  views: Record<string, number>;
  boxes: number;
  maskClasses: string[];
  problems: Problem[];
  /** Patients found in more than one split (must be empty). */
  leakedPatients: string[];
}

function countBy(values: readonly unknown[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) { const k = v == null || v === '' ? '(missing)' : String(v); out[k] = (out[k] ?? 0) + 1; }
  return out;
}

/** Summarise a loaded SampleTable. */
export function summarise(st: SampleTable, manifest?: Manifest): DataCheckReport {
  const t = st.table;
  const ids = t.array('patient') as string[];
  const splits = t.array('split') as string[];
  const perSplit: Record<string, { images: number; patients: Set<string> }> = {};
  const patientSplits = new Map<string, Set<string>>();
  ids.forEach((p, i) => {
    const s = splits[i];
    (perSplit[s] ??= { images: 0, patients: new Set() }).images++;
    perSplit[s].patients.add(p);
    (patientSplits.get(p) ?? patientSplits.set(p, new Set()).get(p)!).add(s);
  });
  const labels: Record<string, LabelCount> = {};
  for (const l of st.labelNames) {
    const col = t.array(l) as ArrayLike<number>;
    let pos = 0, neg = 0, unk = 0;
    for (let i = 0; i < col.length; i++) { const v = col[i]; if (v === 1) pos++; else if (v === 0) neg++; else unk++; }
    labels[l] = { positive: pos, negative: neg, unknown: unk, prevalence: pos + neg > 0 ? pos / (pos + neg) : NaN };
  }
  let classes: Record<string, number> | undefined;
  if (st.classNames) {
    classes = {};
    const col = t.array('class') as ArrayLike<number>;
    for (const c of st.classNames) classes[c] = 0;
    let none = 0;
    for (let i = 0; i < col.length; i++) { const c = st.classNames[col[i]]; if (c === undefined) none++; else classes[c]++; }
    if (none) classes['(none)'] = none;
  }
  const stats = (xs: number[]) => ({
    known: xs.length,
    min: xs.length ? Math.min(...xs) : null,
    max: xs.length ? Math.max(...xs) : null,
    mean: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null,
  });
  const targets: DataCheckReport['targets'] = {};
  for (const name of st.targetNames ?? []) targets[name] = stats((Array.from(t.array(name) as ArrayLike<number>)).filter((v) => v != null && Number.isFinite(v)));
  const ages = (t.array('age') as (number | null)[]).filter((a): a is number => a != null && Number.isFinite(a));
  return {
    dataset: st.dataset,
    images: t.numRows(),
    patients: new Set(ids).size,
    expected: manifest?.counts ? { images: manifest.counts.images, patients: manifest.counts.patients } : undefined,
    splits: Object.fromEntries(Object.entries(perSplit).map(([s, v]) => [s, { images: v.images, patients: v.patients.size }])),
    labels,
    classes,
    targets,
    sex: countBy(t.array('sex') as unknown[]),
    ageBins: countBy(t.array('age_bin') as unknown[]),
    age: {
      known: ages.length,
      min: ages.length ? Math.min(...ages) : null,
      max: ages.length ? Math.max(...ages) : null,
      mean: ages.length ? ages.reduce((a, b) => a + b, 0) / ages.length : null,
    },
    views: countBy(t.array('view') as unknown[]),
    boxes: st.boxes?.length ?? 0,
    maskClasses: st.maskClasses ?? [],
    problems: st.problems,
    leakedPatients: [...patientSplits].filter(([, s]) => s.size > 1).map(([p]) => p),
  };
}

/** Load with image decoding checks and summarise. */
export async function checkDataset(manifestIdOrPath: string | Manifest | Record<string, unknown>, opts: LoadOptions = {}): Promise<{ report: DataCheckReport; samples: SampleTable }> {
  const manifest = typeof manifestIdOrPath === 'string' ? loadManifest(manifestIdOrPath) : parseManifest(manifestIdOrPath, '(object)');
  const samples = await loadDataset(manifest, { verify: 'decode', ...opts });
  if ((opts.verify ?? 'decode') === 'decode') await checkMasks(samples);
  return { report: summarise(samples, manifest), samples };
}

/**
 * Decodes the mask files of every file-backed row (a truncated or foreign mask would otherwise pass the check and fail
 * mid-study); each unreadable one is a problem naming the sample. Generated sets derive their masks and are skipped.
 */
async function checkMasks(samples: SampleTable): Promise<void> {
  const load = samples.loadMasks?.bind(samples);
  if (!load || !samples.table.columnNames().includes('path')) return;
  const ids = samples.table.array('id') as ArrayLike<string>;
  const paths = samples.table.array('path') as ArrayLike<string | null>;
  const rows = Array.from({ length: ids.length }, (_, i) => i).filter((i) => paths[i]);
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < rows.length; k = next++) {
      const i = rows[k];
      try {
        await load(String(ids[i]));
      } catch (e) {
        samples.problems.push({ id: String(ids[i]), file: String(paths[i]), reason: `mask: ${(e as Error).message}` });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, rows.length) }, worker));
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const fmtCounts = (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ');

/** Human-readable report (what `raydino data check` prints). */
export function formatReport(r: DataCheckReport): string {
  const lines: string[] = [];
  const exp = r.expected;
  const vs = (n: number, e?: number) => (e !== undefined && e !== n ? ` (manifest expects ${e} in the full set)` : '');
  lines.push(`dataset ${r.dataset}: ${r.images} images${vs(r.images, exp?.images)}, ${r.patients} patients${vs(r.patients, exp?.patients)}`);
  lines.push('splits:');
  for (const [s, v] of Object.entries(r.splits)) lines.push(`  ${s.padEnd(6)} ${String(v.images).padStart(7)} images ${String(v.patients).padStart(7)} patients`);
  if (r.leakedPatients.length) lines.push(`  LEAK: ${r.leakedPatients.length} patients in more than one split: ${r.leakedPatients.slice(0, 10).join(', ')}`);
  if (Object.keys(r.labels).length) {
    lines.push('labels (positive / negative / unknown, prevalence among known):');
    const w = Math.max(...Object.keys(r.labels).map((k) => k.length));
    for (const [l, c] of Object.entries(r.labels)) lines.push(`  ${l.padEnd(w)} ${String(c.positive).padStart(7)} ${String(c.negative).padStart(7)} ${String(c.unknown).padStart(7)}  ${pct(c.prevalence)}`);
  }
  if (r.classes) lines.push(`classes: ${fmtCounts(r.classes)}`);
  for (const [name, v] of Object.entries(r.targets)) {
    lines.push(`target ${name}: known ${v.known}${v.known ? `, ${v.min!.toFixed(2)}–${v.max!.toFixed(2)}, mean ${v.mean!.toFixed(2)}` : ''}`);
  }
  lines.push(`sex: ${fmtCounts(r.sex)}`);
  lines.push(`age bins: ${fmtCounts(r.ageBins)}`);
  lines.push(`age: known ${r.age.known}${r.age.known ? `, ${r.age.min}–${r.age.max}, mean ${r.age.mean!.toFixed(1)}` : ''}`);
  lines.push(`views: ${fmtCounts(r.views)}`);
  lines.push(`boxes: ${r.boxes}; mask classes: ${r.maskClasses.length ? r.maskClasses.join(', ') : 'none'}`);
  if (r.problems.length) {
    lines.push(`problems (${r.problems.length}):`);
    for (const p of r.problems) lines.push(`  ${p.id}: ${p.reason}${p.row ? ` [${p.file}:${p.row}]` : ''}`);
  } else lines.push('problems: none');
  return lines.join('\n');
}
