/**
 * VinDr-RibCXR (Nguyen et al., MIDL 2021). `data/{train,val}/Vindr_RibCXR_{train,val}_mask.json`: a table as written
 * by pandas `to_json` (orient 'columns' — {"img": {"0": …}, "R1": {"0": […]}} — or 'records' — [{"img": …, "R1": […]}]):
 * column `img` (image path; its file name is looked up in `data/<split>/img/`) and 20 rib columns R1…R10, L1…L10,
 * each a list of {"x", "y"} polygon points or the string 'None' (not annotated → null mask). Masks are filled
 * polygons (polygon.ts) at the image's size. Split: train JSON → train (val carved by split.valFraction),
 * val JSON → test. Each image is its own patient.
 */
import path from 'path';
import { readText } from '../csv';
import { probeImage } from '../image';
import { fillPolygon, type Point } from '../polygon';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Split } from '../types';

export const RIB_CLASSES = [...Array.from({ length: 10 }, (_, i) => `R${i + 1}`), ...Array.from({ length: 10 }, (_, i) => `L${i + 1}`)];

type Cell = Point[] | 'None' | null;

/** Normalise both pandas orients to an array of row objects. */
function rowsOf(json: unknown, file: string): Record<string, unknown>[] {
  if (Array.isArray(json)) return json as Record<string, unknown>[];
  if (json && typeof json === 'object' && 'img' in json) {
    const cols = json as Record<string, Record<string, unknown>>;
    return Object.keys(cols.img).map((k) => Object.fromEntries(Object.keys(cols).map((c) => [c, cols[c][k]])));
  }
  throw new Error(`${file}: expected a pandas to_json table with an 'img' column`);
}

function parseCell(v: unknown, where: string): Point[] | null {
  if (v == null || v === 'None') return null;
  if (!Array.isArray(v) || v.some((p) => typeof p?.x !== 'number' || typeof p?.y !== 'number')) throw new Error(`${where}: expected a list of {x, y} points or 'None'`);
  return v as Point[];
}

export async function parseVindrRib(ctx: ParserContext): Promise<ParsedDataset> {
  const records: SampleRecord[] = [];
  const polys = new Map<string, (Point[] | null)[]>();
  for (const [key, split] of [['train', 'train'], ['val', 'test']] as [string, Split][]) {
    if (!(key in ctx.manifest.files) || !ctx.has(key)) continue;
    const file = ctx.file(key);
    let json: unknown;
    try { json = JSON.parse(readText(file)); } catch (e) { throw new Error(`${file}: not JSON (${(e as Error).message})`); }
    const rows = rowsOf(json, file);
    rows.forEach((row, i) => {
      const img = row.img;
      if (typeof img !== 'string') throw new Error(`${file}: row ${i}: column 'img' missing or not a string`);
      for (const c of RIB_CLASSES) if (!(c in row)) throw new Error(`${file}: row ${i}: missing column '${c}'`);
      const name = path.basename(img);
      const id = name.replace(/\.png$/i, '');
      polys.set(id, RIB_CLASSES.map((c) => parseCell(row[c] as Cell, `${file}: row ${i} column '${c}'`)));
      records.push({
        id, path: path.join(path.dirname(file), 'img', name), patient: id, study: id, view: 'PA', sex: null, age: null,
        split, width: null, height: null, labels: {}, file, line: i,
      });
    });
  }
  return {
    records, labelNames: [], maskClasses: RIB_CLASSES.slice(), problems: [],
    masks: async (r) => {
      const { width, height } = await probeImage(r.path!);
      return polys.get(r.id)!.map((p) => (p ? fillPolygon(p, width, height) : null));
    },
  };
}

