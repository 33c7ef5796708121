/**
 * Picture sheets of the synthetic world for the docs (docs/images/synthetic-*.png): CXR cases with their findings,
 * mask overlays and boxes, the COVID-3 classes, spine films with landmarks and Cobb angles, the three populations
 * and the planted brace cue. Plain RGB compositing + sharp for PNG encoding; no plotting stack needed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createRng } from '../../engine/rng';
import type { DeviceKind, DevicePosition } from './catalogue';
import { COVID3_CLASSES } from './catalogue';
import { generatePhantom, Phantom } from './phantom';
import { samplePatient, samplePhantomSpec, SpecOptions } from './spec';
import { getPopulation } from './populations';

export interface Rgb { width: number; height: number; data: Uint8Array }

const PALETTE: [number, number, number][] = [
  [230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48], [145, 30, 180], [70, 240, 240],
  [240, 50, 230], [210, 245, 60], [250, 190, 212], [0, 128, 128], [220, 190, 255], [170, 110, 40], [255, 250, 200],
];

export function greyToRgb(img: { width: number; height: number; data: Float32Array }): Rgb {
  const out = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.data.length; i++) {
    const v = Math.round(Math.min(1, Math.max(0, img.data[i])) * 255);
    out[3 * i] = v; out[3 * i + 1] = v; out[3 * i + 2] = v;
  }
  return { width: img.width, height: img.height, data: out };
}

export function overlayMask(rgb: Rgb, mask: Uint8Array, color: [number, number, number], alpha = 0.45): void {
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    for (let c = 0; c < 3; c++) rgb.data[3 * i + c] = Math.round((1 - alpha) * rgb.data[3 * i + c] + alpha * color[c]);
  }
}

export function drawRect(rgb: Rgb, x: number, y: number, w: number, h: number, color: [number, number, number]): void {
  const put = (px: number, py: number) => {
    if (px < 0 || py < 0 || px >= rgb.width || py >= rgb.height) return;
    const o = 3 * (py * rgb.width + px);
    rgb.data[o] = color[0]; rgb.data[o + 1] = color[1]; rgb.data[o + 2] = color[2];
  };
  for (let i = x; i < x + w; i++) { put(i, y); put(i, y + h - 1); }
  for (let j = y; j < y + h; j++) { put(x, j); put(x + w - 1, j); }
}

export function drawLine(rgb: Rgb, x0: number, y0: number, x1: number, y1: number, color: [number, number, number]): void {
  const n = Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))) + 1;
  for (let i = 0; i <= n; i++) {
    const px = Math.round(x0 + ((x1 - x0) * i) / n), py = Math.round(y0 + ((y1 - y0) * i) / n);
    if (px < 0 || py < 0 || px >= rgb.width || py >= rgb.height) continue;
    const o = 3 * (py * rgb.width + px);
    rgb.data[o] = color[0]; rgb.data[o + 1] = color[1]; rgb.data[o + 2] = color[2];
  }
}

/** Nearest-neighbour upsampling to `size` (pixels stay visible). */
export function upsample(rgb: Rgb, size: number): Rgb {
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const sy = Math.floor((y * rgb.height) / size), sx = Math.floor((x * rgb.width) / size);
    for (let c = 0; c < 3; c++) out[3 * (y * size + x) + c] = rgb.data[3 * (sy * rgb.width + sx) + c];
  }
  return { width: size, height: size, data: out };
}

/** One picture of a sheet and its caption (captions are SVG text composited by sharp). */
export interface Tile { rgb: Rgb; caption: string }

/** Tiles in a grid with captions, encoded as PNG (captions rendered by sharp's SVG text). */
export async function writeSheet(tiles: Tile[], cols: number, file: string, title?: string): Promise<void> {
  const sharp = (await import('sharp')).default;
  const w = tiles[0].rgb.width, h = tiles[0].rgb.height;
  const capH = 18, gap = 4, titleH = title ? 26 : 0;
  const rows = Math.ceil(tiles.length / cols);
  const W = cols * w + (cols + 1) * gap, H = titleH + rows * (h + capH) + (rows + 1) * gap;
  const canvas = new Uint8Array(W * H * 3).fill(255);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let svg = `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">`;
  if (title) svg += `<text x="${gap}" y="18" font-family="DejaVu Sans, sans-serif" font-size="15" font-weight="bold">${esc(title)}</text>`;
  tiles.forEach((t, k) => {
    const r = Math.floor(k / cols), c = k % cols;
    const ox = gap + c * (w + gap), oy = titleH + gap + r * (h + capH + gap);
    for (let y = 0; y < h; y++) {
      canvas.set(t.rgb.data.subarray(3 * y * w, 3 * (y + 1) * w), 3 * ((oy + y) * W + ox));
    }
    svg += `<text x="${ox + 2}" y="${oy + h + 13}" font-family="DejaVu Sans, sans-serif" font-size="10.5">${esc(t.caption)}</text>`;
  });
  svg += '</svg>';
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp(Buffer.from(canvas), { raw: { width: W, height: H, channels: 3 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .png({ compressionLevel: 9, adaptiveFiltering: true })
    .toFile(file);
}

function tileOf(ph: Phantom, opts: { masks?: string[]; boxes?: boolean } = {}): Rgb {
  const rgb = greyToRgb(ph.image);
  (opts.masks ?? []).forEach((name, i) => { const m = ph.masks.get(name); if (m) overlayMask(rgb, m, PALETTE[i % PALETTE.length], 0.35); });
  if (opts.boxes) for (const b of ph.boxes) drawRect(rgb, b.x, b.y, b.w, b.h, [255, 60, 60]);
  return rgb;
}

function phantom(seed: number, o: SpecOptions, size: number): Phantom {
  const spec = samplePhantomSpec(createRng(seed), o);
  return generatePhantom(spec, createRng(spec.seed), { size });
}

/** For the picture sheet only: the first seed whose finding is at the clearly visible end of its range. */
const SHOWCASE: Record<string, (p: Record<string, number>) => boolean> = {
  Effusion: (p) => p.height > 0.1,
  Pneumothorax: (p) => p.depth > 0.05,
  Nodule: (p) => p.r > 0.028 && p.contrast > 0.6,
  Atelectasis: (p) => p.length > 0.15 && p.contrast > 0.7,
  Fracture: (p) => p.callus > 0.5,
  'Pleural Thickening': (p) => p.depth > 0.02,
  Edema: (p) => p.severity > 0.8,
};
function showcase(seed: number, finding: string, size: number, extra: SpecOptions = {}): Phantom {
  const ok = SHOWCASE[finding];
  for (let s = seed; s < seed + 200; s++) {
    const spec = samplePhantomSpec(createRng(s), { ...extra, findings: finding === 'No Finding' ? [] : [finding] });
    if (!ok || ok(spec.findings[0]?.p ?? {})) return generatePhantom(spec, createRng(spec.seed), { size });
  }
  return phantom(seed, { ...extra, findings: [finding] }, size);
}

/** Writes docs/images/synthetic-{cxr,masks,covid3,spine,populations,cue,devices}.png into `outDir`. Returns the files. */
export async function renderGallery(outDir: string, size = 224): Promise<string[]> {
  const files: string[] = [];
  const out = (n: string) => { const f = path.join(outDir, `synthetic-${n}.png`); files.push(f); return f; };

  // 1. findings (one per tile, boxes in red)
  const findingTiles: Tile[] = [];
  const show = ['No Finding', 'Effusion', 'Pneumothorax', 'Nodule', 'Mass', 'Consolidation', 'Atelectasis', 'Cardiomegaly', 'Edema', 'Emphysema', 'Pleural Thickening', 'Fracture', 'Calcification', 'Hernia', 'Support Devices'];
  show.forEach((f, i) => {
    const ph = showcase(100 + 7 * i, f, size, { population: 'popA' });
    findingTiles.push({ rgb: tileOf(ph, { boxes: f !== 'No Finding' }), caption: `${f} (${ph.meta.sex}, ${ph.meta.age}, ${ph.meta.view})` });
  });
  await writeSheet(findingTiles, 5, out('cxr'), 'Synthetic CXR findings (box = generator ground truth)');

  // 2. anatomy masks
  const maskTiles: Tile[] = [];
  for (let i = 0; i < 4; i++) {
    const ph = phantom(200 + i, { findings: [] }, size);
    maskTiles.push({ rgb: greyToRgb(ph.image), caption: `image ${ph.meta.sex} ${ph.meta.age}` });
    maskTiles.push({ rgb: tileOf(ph, { masks: ['right_lung', 'left_lung', 'heart', 'mediastinum', 'right_clavicle', 'left_clavicle', 'spine', 'diaphragm'] }), caption: 'lungs/heart/mediastinum/...' });
    const rgb = greyToRgb(ph.image);
    for (let r = 0; r < 20; r++) { const name = r < 10 ? `R${r + 1}` : `L${r - 9}`; const m = ph.masks.get(name); if (m) overlayMask(rgb, m, PALETTE[r % PALETTE.length], 0.5); }
    maskTiles.push({ rgb, caption: 'ribs R1-R10, L1-L10' });
  }
  await writeSheet(maskTiles, 6, out('masks'), 'Anatomy masks');

  // 3. COVID-3
  const covTiles: Tile[] = [];
  for (let c = 0; c < 3; c++) for (let i = 0; i < 4; i++) {
    const ph = phantom(300 + 10 * c + i, { variant: 'covid3', classIndex: c }, size);
    covTiles.push({ rgb: tileOf(ph, { boxes: true }), caption: COVID3_CLASSES[c] });
  }
  await writeSheet(covTiles, 4, out('covid3'), 'COVID-3 variant: normal / lobar pneumonia / COVID-like');

  // 4. spine
  const spTiles: Tile[] = [];
  for (let i = 0; i < 8; i++) {
    const ph = phantom(400 + i, { variant: 'spine' }, size);
    const rgb = greyToRgb(ph.image);
    // tilt ticks beside each vertebra (the vertebrae stay visible)
    for (const [tl, tr, bl, br] of ph.meta.landmarks ?? []) {
      const lx = (tl[0] + bl[0]) / 2, ly = (tl[1] + bl[1]) / 2, rx = (tr[0] + br[0]) / 2, ry = (tr[1] + br[1]) / 2;
      drawLine(rgb, rx + 0.15 * (rx - lx), ry + 0.15 * (ry - ly), rx + 0.8 * (rx - lx), ry + 0.8 * (ry - ly), [255, 80, 80]);
    }
    const c = ph.meta.cobb!;
    spTiles.push({ rgb, caption: `PT ${c.pt.toFixed(0)}° MT ${c.mt.toFixed(0)}° TL ${c.tl.toFixed(0)}°` });
  }
  await writeSheet(spTiles, 4, out('spine'), 'Spine variant: vertebra tilt lines and Cobb angles');

  // 5. populations: same patients, three sites
  const popTiles: Tile[] = [];
  for (const pop of ['popA', 'popB', 'popC']) {
    for (let i = 0; i < 4; i++) {
      const patient = samplePatient(createRng(500 + i), getPopulation('popA'), `P${i}`);
      const ph = phantom(510 + i, { population: pop, patient, findings: i === 1 ? ['Effusion'] : i === 3 ? ['Nodule'] : [] }, size);
      popTiles.push({ rgb: greyToRgb(ph.image), caption: `${pop} ${ph.meta.view}${i === 1 ? ' effusion' : i === 3 ? ' nodule' : ''}` });
    }
  }
  await writeSheet(popTiles, 4, out('populations'), 'Populations A / B / C (same patients): acquisition differs');

  // 6. spurious cue
  const cueTiles: Tile[] = [];
  for (let i = 0; i < 4; i++) {
    const ph = showcase(600 + 13 * i, 'Fracture', size, { brace: i < 3 });
    const rgb = tileOf(ph, { boxes: true });
    const bb = ph.meta.braceBox;
    if (bb) drawRect(rgb, bb.x, bb.y, bb.w, bb.h, [255, 200, 0]);
    cueTiles.push({ rgb, caption: i < 3 ? 'Fracture (red) + brace (yellow)' : 'Fracture, no brace' });
  }
  await writeSheet(cueTiles, 4, out('cue'), 'Planted cue: neck brace co-occurs with Fracture in training splits');

  // 7. devices by position
  const devTiles: Tile[] = [];
  const devs: [DeviceKind, DevicePosition][] = [
    ['ETT', 'Normal'], ['ETT', 'Borderline'], ['ETT', 'Abnormal'], ['NGT', 'Normal'], ['NGT', 'Borderline'], ['NGT', 'Abnormal'],
    ['NGT', 'Incompletely Imaged'], ['CVC', 'Normal'], ['CVC', 'Borderline'], ['CVC', 'Abnormal'],
  ];
  devs.forEach(([k, p], i) => {
    const ph = phantom(700 + i, { findings: [], devices: { [k]: p } }, size);
    devTiles.push({ rgb: greyToRgb(ph.image), caption: `${k} - ${p}` });
  });
  await writeSheet(devTiles, 5, out('devices'), 'Support devices by tip position (RANZCR-style labels)');

  // 8. the same cases at the full and quick-profile sizes
  const sizeTiles: Tile[] = [];
  for (const f of ['Effusion', 'Nodule', 'Pneumothorax', 'Cardiomegaly']) {
    for (const s of [224, 112, 64]) {
      const ph = showcase(800, f, s, { population: 'popA' });
      const rgb = greyToRgb(ph.image);
      sizeTiles.push({ rgb: s === size ? rgb : upsample(rgb, size), caption: `${f} @ ${s} px` });
    }
  }
  await writeSheet(sizeTiles, 6, out('sizes'), 'Quick-profile sizes: the same cases at 224, 112 and 64 px');
  return files;
}
