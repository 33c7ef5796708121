/**
 * PAXRay / PAXRay++ (Seibold et al., BMVC 2022; CXAS). Labels are projected from CT segmentations. Read from the
 * COCO-style annotation files `paxray_train_val.json` / `paxray_test.json` [file details unconfirmed]:
 * images [{id, file_name, width, height}], categories [{id, name}], annotations [{image_id, category_id,
 * segmentation}] where segmentation is COCO RLE ({size: [h, w], counts: number[] | compressed string}, column-major)
 * or polygons ([[x1, y1, x2, y2, …], …]). Several annotations of one class are united; classes may overlap.
 * maskClasses = categories ordered by id. Split: train_val → train (val carved by split.valFraction), test → test.
 * Patient = file stem without `_frontal` / `_lateral` (the two projections of one CT). The per-image `.npy` mask
 * stacks of the CXAS release are not read.
 */
import path from 'path';
import { readText } from '../csv';
import { fillPolygon } from '../polygon';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Split } from '../types';

/** pycocotools rleFrString: LEB128-like 6-bit chunks from char 48, counts after the 2nd delta-coded. */
export function cocoCountsFromString(s: string): number[] {
  const cnts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0, k = 0, more = 1;
    while (more) {
      const c = s.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = c & 0x20;
      p++; k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    if (cnts.length > 2) x += cnts[cnts.length - 2];
    cnts.push(x);
  }
  return cnts;
}

/** COCO RLE → row-major h×w mask (runs alternate 0s then 1s, column-major order). */
export function decodeCocoRle(rle: { size: [number, number]; counts: number[] | string }, into?: Uint8Array, where = 'RLE'): Uint8Array {
  const [h, w] = rle.size;
  const mask = into ?? new Uint8Array(h * w);
  const counts = typeof rle.counts === 'string' ? cocoCountsFromString(rle.counts) : rle.counts;
  let k = 0;
  counts.forEach((c, i) => {
    if (c < 0 || k + c > h * w) throw new Error(`${where}: counts exceed the ${h}×${w} grid`);
    if (i % 2 === 1) for (let j = k; j < k + c; j++) { const x = Math.floor(j / h); mask[(j - x * h) * w + x] = 1; }
    k += c;
  });
  return mask;
}

interface Coco {
  images: { id: number | string; file_name: string; width: number; height: number }[];
  categories: { id: number; name: string }[];
  annotations: { image_id: number | string; category_id: number; segmentation: unknown }[];
}

export async function parsePaxray(ctx: ParserContext): Promise<ParsedDataset> {
  const imgDir = path.join(ctx.root, ctx.manifest.images.dir ?? '');
  const records: SampleRecord[] = [];
  const anns = new Map<string, { cat: number; seg: unknown; where: string }[]>();
  let classes: { id: number; name: string }[] | null = null;
  for (const [key, split] of [['trainVal', 'train'], ['test', 'test']] as [string, Split][]) {
    if (!(key in ctx.manifest.files) || !ctx.has(key)) continue;
    const file = ctx.file(key);
    let coco: Coco;
    try { coco = JSON.parse(readText(file)); } catch (e) { throw new Error(`${file}: not JSON (${(e as Error).message})`); }
    for (const f of ['images', 'categories', 'annotations'] as const) if (!Array.isArray(coco[f])) throw new Error(`${file}: missing array '${f}'`);
    const cats = coco.categories.slice().sort((a, b) => a.id - b.id);
    if (!classes) classes = cats;
    else if (cats.map((c) => c.name).join('|') !== classes.map((c) => c.name).join('|')) throw new Error(`${file}: categories differ from the other annotation file`);
    const idOf = new Map<string, string>();
    coco.images.forEach((im, i) => {
      if (typeof im.file_name !== 'string') throw new Error(`${file}: images[${i}]: missing 'file_name'`);
      const id = path.basename(im.file_name).replace(/\.[a-z]+$/i, '');
      idOf.set(String(im.id), id);
      const m = /^(.*)_(frontal|lateral)$/i.exec(id);
      records.push({
        id, path: path.join(imgDir, im.file_name), patient: m ? m[1] : id, study: m ? m[1] : id,
        view: m ? m[2].toLowerCase() : null, sex: null, age: null, split, width: im.width ?? null, height: im.height ?? null,
        labels: {}, file, line: i,
      });
    });
    coco.annotations.forEach((a, i) => {
      const id = idOf.get(String(a.image_id));
      if (!id) throw new Error(`${file}: annotations[${i}]: unknown image_id ${a.image_id}`);
      (anns.get(id) ?? anns.set(id, []).get(id)!).push({ cat: a.category_id, seg: a.segmentation, where: `${file}: annotations[${i}]` });
    });
  }
  const cls = classes ?? [];
  const byId = new Map(records.map((r) => [r.id, r]));
  return {
    records, labelNames: [], maskClasses: cls.map((c) => c.name), problems: [],
    masks: async (r) => {
      const rec = byId.get(r.id)!;
      const w = rec.width!, h = rec.height!;
      const out: (Uint8Array | null)[] = cls.map(() => null);
      for (const a of anns.get(r.id) ?? []) {
        const ci = cls.findIndex((c) => c.id === a.cat);
        if (ci < 0) throw new Error(`${a.where}: unknown category_id ${a.cat}`);
        const m = (out[ci] ??= new Uint8Array(w * h));
        if (Array.isArray(a.seg)) {
          for (const poly of a.seg as number[][]) fillPolygon(Array.from({ length: poly.length / 2 }, (_, k) => ({ x: poly[2 * k], y: poly[2 * k + 1] })), w, h, m);
        } else decodeCocoRle(a.seg as { size: [number, number]; counts: number[] | string }, m, a.where);
      }
      // a class never annotated on a CT-projected image is empty, not unknown
      return out.map((m) => m ?? new Uint8Array(w * h));
    },
  };
}
