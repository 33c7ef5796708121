/**
 * COVID-19 Image Data Collection (Cohen et al., arXiv:2003.11597), an optional real set, found in ../shared/data/real beside
 * the clone or under RAYDINO_DATA_ROOT (docs/data.md).
 * Reads `images.csv` (our derived per-image table) or, for a user's upstream copy, `metadata.csv` (upstream format:
 * frontal X-rays kept, finding mapped to covid / pneumonia / normal / other as in SOURCE.md). Optional:
 * V7 lung masks (`masks/lungs_v7/<file>`: 255 lung → 1; 127 "ignore" and 0 → 0), lung-field boxes
 * (`lung_bboxes.csv`, in the pixel space of the images read), severity scores (regression targets) and
 * `known_duplicates.csv` (cross-patient duplicate images: their patients are merged for splitting).
 * The upstream free-text `clinical_notes` ride along as `extra.clinical_notes` (null when blank or when metadata.csv is
 * absent): case-report prose, the real-text sanity corpus of notebook 08 (docs/eval.md §6).
 */
import path from 'path';
import fs from 'fs';
import { columns, numberField, readCsv } from '../csv';
import { normaliseAge, normaliseSex } from '../demographics';
import { decodeMaskFile } from '../image';
import { mergeGroups } from '../split';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Box } from '../types';

export const COVID_CLASSES = ['covid', 'pneumonia', 'normal'] as const;
const PNEUMONIA = new Set(['SARS', 'Varicella', 'Influenza', 'Streptococcus', 'Klebsiella', 'Legionella', 'E.Coli',
  'Mycoplasma Bacterial Pneumonia', 'Bacterial', 'Chlamydophila', 'Pneumocystis', 'Pneumonia', 'Lipoid']);
const FRONTAL = new Set(['PA', 'AP', 'AP Supine']);

/** Upstream `finding` → label3 (flat 2020 snapshot names and later hierarchical 'Pneumonia/Viral/COVID-19'). */
export function label3FromFinding(finding: string): 'covid' | 'pneumonia' | 'normal' | 'other' {
  const f = finding.trim();
  if (f.startsWith('COVID-19') || f.split('/').includes('COVID-19')) return 'covid';
  if (f === 'No Finding') return 'normal';
  if (PNEUMONIA.has(f) || f.startsWith('Pneumonia')) return 'pneumonia';
  return 'other';
}

function oneHot(label3: string): { labels: Record<string, number>; cls: number } {
  const cls = (COVID_CLASSES as readonly string[]).indexOf(label3);
  const labels: Record<string, number> = {};
  COVID_CLASSES.forEach((c, i) => { labels[c] = i === cls ? 1 : 0; });
  return { labels, cls: cls < 0 ? NaN : cls };
}

function fromImagesCsv(ctx: ParserContext, imgDir: string): SampleRecord[] {
  const t = readCsv(ctx.file('images'));
  const get = columns(t, ['file', 'patientid', 'sex', 'age', 'finding', 'label3', 'view', 'width', 'height'],
    ['source_filename', 'offset', 'location', 'image_license', 'pneumonia_type', 'has_lung_mask_v7']);
  return t.rows.map((row) => {
    const file = get(row, 'file');
    if (!file) throw new Error(`${t.file}:${row.line}: empty 'file'`);
    const label3 = get(row, 'label3');
    if (!['covid', 'pneumonia', 'normal', 'other'].includes(label3)) throw new Error(`${t.file}:${row.line}: column 'label3': unknown value '${label3}'`);
    const { labels, cls } = oneHot(label3);
    return {
      id: file.replace(/\.png$/i, ''),
      path: path.join(imgDir, file),
      patient: get(row, 'patientid'),
      study: `${get(row, 'patientid')}_${get(row, 'offset') || 'na'}`,
      view: get(row, 'view') || null,
      sex: normaliseSex(get(row, 'sex')),
      age: normaliseAge(get(row, 'age'), 0, `${t.file}:${row.line}: column 'age'`),
      width: numberField(t, row, 'width', get(row, 'width')) || null,
      height: numberField(t, row, 'height', get(row, 'height')) || null,
      labels, class: cls,
      extra: {
        file, source_filename: get(row, 'source_filename') || null, finding: get(row, 'finding'), label3,
        pneumonia_type: get(row, 'pneumonia_type') || null, location: get(row, 'location') || null,
        licence: get(row, 'image_license') || null, has_lung_mask: get(row, 'has_lung_mask_v7') === '1' ? 1 : 0,
      },
      file: t.file, line: row.line,
    };
  });
}

/** Upstream metadata.csv: keep frontal X-ray rows from the images folder with a finding. */
function fromMetadataCsv(ctx: ParserContext, imgDir: string): SampleRecord[] {
  const t = readCsv(ctx.file('metadata'));
  const get = columns(t, ['patientid', 'offset', 'sex', 'age', 'finding', 'view', 'modality', 'folder', 'filename'], ['location', 'license', 'clinical_notes']);
  const out: SampleRecord[] = [];
  const seen = new Set<string>();
  for (const row of t.rows) {
    if (get(row, 'modality') !== 'X-ray' || !FRONTAL.has(get(row, 'view')) || get(row, 'folder') !== 'images') continue;
    const finding = get(row, 'finding');
    if (finding === 'todo' || finding === '') continue;
    const file = get(row, 'filename');
    if (seen.has(file)) continue; // upstream lists a few files under two patient ids: keep the first row
    seen.add(file);
    const label3 = label3FromFinding(finding);
    const { labels, cls } = oneHot(label3);
    out.push({
      id: file.replace(/\.[a-z]+$/i, ''), path: path.join(imgDir, file),
      patient: get(row, 'patientid'), study: `${get(row, 'patientid')}_${get(row, 'offset') || 'na'}`,
      view: get(row, 'view'), sex: normaliseSex(get(row, 'sex')), age: normaliseAge(get(row, 'age'), 0, `${t.file}:${row.line}: column 'age'`),
      width: null, height: null, labels, class: cls,
      extra: { file, finding, label3, location: get(row, 'location') || null, licence: get(row, 'license') || null, clinical_notes: get(row, 'clinical_notes').trim() || null },
      file: t.file, line: row.line,
    });
  }
  return out;
}

/** Upstream `clinical_notes` by upstream file name (non-blank only; the first row of a file listed twice). */
function upstreamNotes(file: string): Map<string, string> {
  const t = readCsv(file);
  const get = columns(t, ['filename'], ['clinical_notes']);
  const out = new Map<string, string>();
  for (const row of t.rows) {
    const text = get(row, 'clinical_notes').trim();
    if (text && !out.has(get(row, 'filename'))) out.set(get(row, 'filename'), text);
  }
  return out;
}

export async function parseCovidChestxray(ctx: ParserContext): Promise<ParsedDataset> {
  const opt = (ctx.manifest.options ?? {}) as { maskDir?: string };
  const imgDir = path.join(ctx.root, ctx.manifest.images.dir ?? 'images');
  let records: SampleRecord[];
  if (ctx.has('images')) records = fromImagesCsv(ctx, imgDir);
  else if (ctx.has('metadata')) records = fromMetadataCsv(ctx, imgDir);
  else throw new Error(`dataset ${ctx.manifest.id}: missing metadata file ${ctx.file('images')} (or ${ctx.file('metadata')})`);

  const byFile = new Map(records.map((r) => [String(r.extra!.file), r]));
  const bySource = new Map(records.map((r) => [String(r.extra!.source_filename ?? r.extra!.file), r]));
  if (ctx.has('images')) {
    const notes = ctx.has('metadata') ? upstreamNotes(ctx.file('metadata')) : new Map<string, string>();
    for (const [source, r] of bySource) r.extra!.clinical_notes = notes.get(source) ?? null;
  }

  // known duplicates: merge the two patients into one split group
  if (ctx.has('duplicates')) {
    const t = readCsv(ctx.file('duplicates'));
    const get = columns(t, ['patientid_a', 'patientid_b']);
    const groups = mergeGroups(records.map((r) => r.patient), t.rows.map((row) => [get(row, 'patientid_a'), get(row, 'patientid_b')]));
    for (const r of records) r.group = groups.get(r.patient) ?? r.patient;
  }

  const targetNames: string[] = [];
  if (ctx.has('severity')) {
    const t = readCsv(ctx.file('severity'), { comment: '##' });
    const get = columns(t, ['filename', 'geographic_mean', 'opacity_mean']);
    targetNames.push('geographic_mean', 'opacity_mean');
    for (const row of t.rows) {
      const r = bySource.get(get(row, 'filename'));
      if (!r) continue; // scores exist for images outside this subset
      r.targets = {
        geographic_mean: numberField(t, row, 'geographic_mean', get(row, 'geographic_mean')),
        opacity_mean: numberField(t, row, 'opacity_mean', get(row, 'opacity_mean')),
      };
    }
  }

  const boxes: Box[] = [];
  if (ctx.has('lungBoxes')) {
    const t = readCsv(ctx.file('lungBoxes'));
    const get = columns(t, ['file', 'label', 'x', 'y', 'w', 'h']);
    for (const row of t.rows) {
      const r = byFile.get(get(row, 'file'));
      if (!r) { ctx.problem({ id: get(row, 'file'), file: t.file, row: row.line, reason: 'box for an image not in the image table' }); continue; }
      const n = (c: string) => numberField(t, row, c, get(row, c));
      boxes.push({ id: r.id, label: get(row, 'label'), x: n('x'), y: n('y'), w: n('w'), h: n('h') });
    }
  }

  const maskDir = path.join(ctx.root, opt.maskDir ?? 'masks/lungs_v7');
  const hasMasks = fs.existsSync(maskDir);
  return {
    records,
    labelNames: [...COVID_CLASSES],
    classNames: [...COVID_CLASSES],
    targetNames: targetNames.length ? targetNames : undefined,
    maskClasses: hasMasks ? ['lungs'] : undefined,
    boxes,
    problems: [],
    masks: hasMasks ? async (r) => {
      const f = path.join(maskDir, `${r.id}.png`);
      if (!fs.existsSync(f)) return [null];
      // V7 class map: 0 background, 127 ignore, 255 lung → threshold between 127 and 255
      const m = await decodeMaskFile(f, 0.75);
      return [m.data];
    } : undefined,
  };
}
