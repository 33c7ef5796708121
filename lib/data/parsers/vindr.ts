/**
 * VinDr-CXR (Nguyen et al., Sci Data 2022; PhysioNet vindr-cxr 1.0.0). `annotations/image_labels_{train,test}.csv`:
 * image_id, rad_id (absent in test [unconfirmed]) and 28 binary columns; the train file has one row per reader
 * (3 per image) aggregated by `options.aggregate` ('majority' default: positive when ≥ 2 of 3 readers, 'any':
 * ≥ 1). `annotations/annotations_{train,test}.csv`: image_id, rad_id, class_name, x_min, y_min, x_max, y_max
 * (original DICOM pixels; 'No finding' rows without coordinates are skipped). Images `{train,test}/<image_id>.dicom`.
 * No patient ids: each image is its own patient. Sex/age only in the DICOM headers: read at load when
 * `options.dicomDemographics` is true (reads every file). The test file's 'Other disease' is aliased to the
 * train file's 'Other diseases' via the manifest's aliases.
 */
import path from 'path';
import { columns, numberField, readCsv } from '../csv';
import { normaliseAge, normaliseSex } from '../demographics';
import { readDicomHeaderFile } from '../dicom';
import { encodeBinaryValue } from '../labels';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Box, Split } from '../types';

export async function parseVindr(ctx: ParserContext): Promise<ParsedDataset> {
  const opt = (ctx.manifest.options ?? {}) as { aggregate?: 'majority' | 'any'; dicomDemographics?: boolean };
  const labelNames = ctx.manifest.labels.names;
  const aliases = ctx.manifest.labels.aliases ?? {};
  const records: SampleRecord[] = [];
  const boxes: Box[] = [];
  for (const split of ['train', 'test'] as Split[]) {
    const key = `labels_${split}`;
    if (!(key in ctx.manifest.files) || !ctx.has(key)) continue;
    const t = readCsv(ctx.file(key));
    // map canonical label → column actually present (test file spelling differences)
    const colOf = new Map<string, string>();
    for (const h of t.header) { const c = aliases[h] ?? h; if (labelNames.includes(c)) colOf.set(c, h); }
    const missing = labelNames.filter((l) => !colOf.has(l));
    if (missing.length) throw new Error(`${t.file}: missing column '${missing[0]}' (header: ${t.header.join(', ')})`);
    const get = columns(t, ['image_id', ...colOf.values()], ['rad_id']);
    const votes = new Map<string, { n: number; pos: Record<string, number>; line: number }>();
    for (const row of t.rows) {
      const id = get(row, 'image_id');
      if (!/^[0-9a-f]{32}$/i.test(id)) throw new Error(`${t.file}:${row.line}: column 'image_id': expected 32 hex characters, got '${id}'`);
      const v = votes.get(id) ?? { n: 0, pos: Object.fromEntries(labelNames.map((l) => [l, 0])), line: row.line };
      v.n++;
      for (const l of labelNames) v.pos[l] += encodeBinaryValue(get(row, colOf.get(l)!), `${t.file}:${row.line} column '${colOf.get(l)}'`) || 0;
      votes.set(id, v);
    }
    for (const [id, v] of votes) {
      const labels: Record<string, number> = {};
      for (const l of labelNames) labels[l] = (opt.aggregate ?? 'majority') === 'any' ? (v.pos[l] > 0 ? 1 : 0) : (v.pos[l] * 2 > v.n ? 1 : 0);
      records.push({
        id, path: path.join(ctx.root, split, `${id}.dicom`), patient: id, study: id, view: 'PA',
        sex: null, age: null, split, width: null, height: null, labels,
        extra: { readers: v.n }, file: t.file, line: v.line,
      });
    }
    const akey = `boxes_${split}`;
    if (akey in ctx.manifest.files && ctx.has(akey)) {
      const a = readCsv(ctx.file(akey));
      const aget = columns(a, ['image_id', 'class_name', 'x_min', 'y_min', 'x_max', 'y_max'], ['rad_id']);
      for (const row of a.rows) {
        const x0 = aget(row, 'x_min');
        if (x0 === '') continue; // 'No finding'
        const n = (c: string) => numberField(a, row, c, aget(row, c));
        const [x, y, x1, y1] = [n('x_min'), n('y_min'), n('x_max'), n('y_max')];
        const label = aget(row, 'class_name');
        boxes.push({ id: aget(row, 'image_id'), label: aliases[label] ?? label, x, y, w: x1 - x, h: y1 - y });
      }
    }
  }
  if (opt.dicomDemographics) {
    for (const r of records) {
      try {
        const h = await readDicomHeaderFile(r.path!);
        r.sex = normaliseSex(h.patientSex);
        r.age = normaliseAge(h.patientAge, 0, `${r.path}: DICOM PatientAge`);
        r.width = h.columns || null;
        r.height = h.rows || null;
      } catch (e) {
        ctx.problem({ id: r.id, file: r.path!, reason: (e as Error).message.includes('ENOENT') ? `missing image ${r.path}` : (e as Error).message });
      }
    }
  }
  return { records, labelNames: labelNames.slice(), boxes, problems: [] };
}
