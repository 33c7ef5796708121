/**
 * JSRT (Shiraishi et al., AJR 2000) + SCR masks (van Ginneken et al., Med Image Anal 2006).
 * Images: raw `.IMG`, 2048×2048, 2-byte BIG-ENDIAN pixels, 12 bits used, no header, 0.175 mm/pixel. Values are
 * optical density (higher = darker film), so they are inverted: grey = 1 − v / 4095 (bone bright, as usual).
 * Clinical files (`CLNDAT_EN.txt` nodule cases, `CNNDAT_EN.TXT` non-nodule cases): tab-separated fields
 * nodule: name, subtlety (1–5), size (mm), age, sex, x, y (centre, 2048-px image), malignant|benign, location, diagnosis;
 * non-nodule: name, age, sex, diagnosis. Age '?' = unknown. When a line has no tabs, whitespace splitting is used and
 * the trailing free-text fields are kept joined. Box = centre ± size/2 (mm ÷ 0.175 → pixels).
 * SCR masks: 1024×1024 GIFs, one folder per structure; `options.maskPaths` lists templates with {class} and {id}
 * tried in order (default scr/fold1/masks/{class}/{id}.gif, scr/fold2/…, scr/masks/…); masks are upsampled
 * (nearest) to the image size. Split: odd/even folds (parity rule), validation = training set (train-as-val).
 */
import fs from 'fs';
import path from 'path';
import { readText } from '../csv';
import { normaliseAge, normaliseSex } from '../demographics';
import { decodeMaskFile } from '../image';
import { resizeMaskNearest } from '../preprocess';
import type { ParsedDataset, ParserContext, SampleRecord } from '../record';
import type { Box, GreyImage } from '../types';

export const JSRT_SIZE = 2048;
export const JSRT_MM_PER_PIXEL = 0.175;
export const SCR_CLASSES = ['right lung', 'left lung', 'heart', 'right clavicle', 'left clavicle'];
const DEFAULT_MASK_PATHS = ['scr/fold1/masks/{class}/{id}.gif', 'scr/fold2/masks/{class}/{id}.gif', 'scr/masks/{class}/{id}.gif'];

/** Decode a JSRT raw .IMG buffer (big-endian 16-bit words, 12 bits) into an inverted GreyImage. */
export function decodeJsrtRaw(buf: Uint8Array, width = JSRT_SIZE, height = JSRT_SIZE, where = 'JSRT image'): GreyImage {
  const n = width * height;
  if (buf.length !== 2 * n) throw new Error(`${where}: expected ${2 * n} bytes (${width}×${height}×2), got ${buf.length}`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = ((buf[2 * i] << 8) | buf[2 * i + 1]) & 0x0fff;
    out[i] = 1 - v / 4095;
  }
  return { width, height, data: out };
}

function splitFields(line: string, fixed: number): string[] {
  if (line.includes('\t')) return line.split('\t').map((s) => s.trim());
  const toks = line.trim().split(/\s+/);
  return toks.length > fixed ? [...toks.slice(0, fixed), toks.slice(fixed).join(' ')] : toks;
}

export async function parseJsrt(ctx: ParserContext): Promise<ParsedDataset> {
  const opt = (ctx.manifest.options ?? {}) as { maskPaths?: string[]; size?: number };
  const size = opt.size ?? JSRT_SIZE;
  const imgDir = path.join(ctx.root, ctx.manifest.images.dir ?? '');
  const records: SampleRecord[] = [];
  const boxes: Box[] = [];
  const base = (name: string, line: number, file: string, age: string, sex: string): SampleRecord => ({
    id: name.replace(/\.IMG$/i, ''), path: path.join(imgDir, name), patient: name.replace(/\.IMG$/i, ''), study: name.replace(/\.IMG$/i, ''),
    view: 'PA', sex: normaliseSex(sex), age: normaliseAge(age, 0, `${file}:${line}: age`), width: size, height: size, labels: {}, file, line,
  });
  const lines = (key: string) => readText(ctx.file(key)).split(/\r?\n/).map((l, i) => ({ l, line: i + 1 })).filter((x) => /^JPC[LN]N\d+/i.test(x.l.trim()));

  for (const { l, line } of lines('nodule')) {
    const f = splitFields(l, 8);
    const file = ctx.file('nodule');
    if (f.length < 8) throw new Error(`${file}:${line}: expected ≥ 8 fields (name, subtlety, size, age, sex, x, y, malignant/benign, …), got ${f.length}`);
    const [name, subtlety, sizeMm, age, sex, x, y, kind] = f;
    const nums = [subtlety, sizeMm, x, y].map(Number);
    if (nums.some((v) => !Number.isFinite(v))) throw new Error(`${file}:${line}: subtlety, size, x, y must be numbers: '${l.trim()}'`);
    if (kind !== 'malignant' && kind !== 'benign') throw new Error(`${file}:${line}: field 8: expected malignant|benign, got '${kind}'`);
    const r = base(name, line, file, age, sex);
    r.labels = { nodule: 1, malignant: kind === 'malignant' ? 1 : 0 };
    r.extra = { subtlety: nums[0], nodule_size_mm: nums[1], location: f[8] ?? null, diagnosis: f[9] ?? null };
    records.push(r);
    const side = nums[1] / JSRT_MM_PER_PIXEL * (size / JSRT_SIZE);
    const s = size / JSRT_SIZE;
    boxes.push({ id: r.id, label: 'nodule', x: nums[2] * s - side / 2, y: nums[3] * s - side / 2, w: side, h: side });
  }
  for (const { l, line } of lines('nonNodule')) {
    const f = splitFields(l, 3);
    const file = ctx.file('nonNodule');
    if (f.length < 3) throw new Error(`${file}:${line}: expected ≥ 3 fields (name, age, sex, …), got ${f.length}`);
    const r = base(f[0], line, file, f[1], f[2]);
    r.labels = { nodule: 0, malignant: 0 };
    r.extra = { subtlety: null, nodule_size_mm: null, location: null, diagnosis: f[3] ?? null };
    records.push(r);
  }

  const templates = opt.maskPaths ?? DEFAULT_MASK_PATHS;
  const findMask = (cls: string, id: string) => {
    for (const tpl of templates) {
      const p = path.join(ctx.root, tpl.replace('{class}', cls).replace('{id}', id));
      if (fs.existsSync(p)) return p;
    }
    return null;
  };
  return {
    records, labelNames: ['nodule', 'malignant'], boxes, problems: [], maskClasses: SCR_CLASSES.slice(),
    probe: async (r) => {
      const st = await fs.promises.stat(r.path!).catch(() => { throw new Error(`missing image ${r.path}`); });
      if (st.size !== 2 * size * size) throw new Error(`${r.path}: expected ${2 * size * size} bytes (${size}×${size}×2), got ${st.size}`);
    },
    decode: async (r) => decodeJsrtRaw(await fs.promises.readFile(r.path!), size, size, r.path!),
    masks: async (r) => Promise.all(SCR_CLASSES.map(async (cls) => {
      const p = findMask(cls, r.id);
      if (!p) return null;
      const m = await decodeMaskFile(p);
      return m.width === size && m.height === size ? m.data : resizeMaskNearest(m.data, m.width, m.height, size, size);
    })),
  };
}
