/**
 * A grid of titled image panels in one PNG (qualitative figures: image / ground truth / prediction / attention).
 *
 * @example
 * const png = await renderGrid([{ image: xrayView, title: 'GT' }, { image: predView, title: 'RayDINO' }], { cols: 2 });
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { ensureCanvasFonts } from '../report/fonts';
import { wrapText } from '../report/vega-render';
import { renderXray, XrayView } from './xray';

export interface Panel {
  /** PNG bytes, or an X-ray view rendered with renderXray. */
  image: Buffer | Uint8Array | XrayView;
  title?: string;
}

export interface GridOptions {
  /** Columns (default: min(panels, 4)). */
  cols?: number;
  /** Width of each cell in px (default: the largest panel's longer side); an image is fitted into cell × cell. */
  cell?: number;
  /** Gap between cells (default 6 px). */
  gap?: number;
  /** Title above the whole grid. */
  title?: string;
  /** A colour key under the title: what each overlay colour marks (e.g. organKey for the organ overlays). */
  key?: readonly KeyEntry[];
}

export interface KeyEntry { label: string; color: string }

/**
 * Text sizes of a grid PNG: the vega-lite figures' title (14 px bold) and legend labels (11 px) at the quick profile's
 * pngScale 1.5, so a grid's title reads like every other figure's.
 */
export const GRID_TITLE_PX = 21;
export const GRID_KEY_PX = 16;

/**
 * Renders panels into a grid; each image is fitted (aspect kept) into its cell under its title. A row is as tall as its
 * tallest fitted image (landscape X-rays leave no blank bands); titles are wrapped or shortened, never squeezed.
 */
export async function renderGrid(panels: Panel[], opts: GridOptions = {}): Promise<Buffer> {
  if (panels.length === 0) throw new Error('renderGrid: no panels');
  const cols = opts.cols ?? Math.min(panels.length, 4);
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`renderGrid: invalid cols: ${opts.cols}`);
  const images = await Promise.all(panels.map(async (p) => {
    const png = p.image instanceof Uint8Array ? p.image : await renderXray(p.image as XrayView);
    return loadImage(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  }));
  const family = ensureCanvasFonts();
  const cell = opts.cell ?? Math.max(...images.map((im) => Math.max(im.width, im.height)));
  const gap = opts.gap ?? 6;
  const titleH = panels.some((p) => p.title) ? Math.max(16, Math.round(cell / 14)) : 0;
  const rows = Math.ceil(panels.length / cols);
  const W = cols * cell + (cols + 1) * gap;
  const fit = images.map((im) => Math.min(cell / im.width, cell / im.height));
  const rowH = Array.from({ length: rows }, (_, r) => Math.ceil(Math.max(...images.slice(r * cols, (r + 1) * cols).map((im, k) => im.height * fit[r * cols + k]))));
  const measure = createCanvas(1, 1).getContext('2d');
  measure.font = `bold ${GRID_TITLE_PX}px ${family}`;
  const titleLines = opts.title ? wrapText(opts.title, W - 2 * gap, (t) => measure.measureText(t).width) : [];
  const headH = titleLines.length ? titleLines.length * Math.round(GRID_TITLE_PX * 1.25) + gap : 0;
  measure.font = `${GRID_KEY_PX}px ${family}`;
  const keyRows = layoutKey(opts.key ?? [], W - 2 * gap, (t) => measure.measureText(t).width);
  const keyLineH = Math.round(GRID_KEY_PX * 1.5);
  const keyH = keyRows.length ? keyRows.length * keyLineH + gap : 0;
  const H = headH + keyH + rowH.reduce((a, h) => a + h + titleH, 0) + (rows + 1) * gap;
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = 'black';
  ctx.textBaseline = 'middle';
  ctx.font = `bold ${GRID_TITLE_PX}px ${family}`;
  titleLines.forEach((line, i) => ctx.fillText(line, gap, gap + (i + 0.5) * Math.round(GRID_TITLE_PX * 1.25)));
  ctx.font = `${GRID_KEY_PX}px ${family}`;
  keyRows.forEach((row, i) => {
    const y = headH + gap + i * keyLineH;
    for (const e of row) {
      ctx.fillStyle = e.color;
      ctx.fillRect(gap + e.x, y + (keyLineH - GRID_KEY_PX) / 2, GRID_KEY_PX, GRID_KEY_PX);
      ctx.fillStyle = 'black';
      ctx.fillText(e.label, gap + e.x + GRID_KEY_PX + 5, y + keyLineH / 2);
    }
  });
  let y0 = headH + keyH + gap;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols && r * cols + c < panels.length; c++) {
      const k = r * cols + c;
      const x0 = gap + c * (cell + gap);
      const title = panels[k].title;
      if (title) {
        ctx.font = `${Math.round(titleH * 0.7)}px ${family}`;
        ctx.fillStyle = 'black';
        ctx.fillText(shorten(title, cell, (t) => ctx.measureText(t).width), x0, y0 + titleH / 2);
      }
      const im = images[k];
      const w = im.width * fit[k], h = im.height * fit[k];
      ctx.drawImage(im, x0 + (cell - w) / 2, y0 + titleH + (rowH[r] - h) / 2, w, h);
    }
    y0 += titleH + rowH[r] + gap;
  }
  return canvas.encode('png');
}

/** Key entries laid out in lines of at most `width` px: swatch, label, then the next entry. */
function layoutKey(key: readonly KeyEntry[], width: number, measure: (t: string) => number): { label: string; color: string; x: number }[][] {
  const rows: { label: string; color: string; x: number }[][] = [];
  let x = 0;
  for (const e of key) {
    const w = GRID_KEY_PX + 5 + measure(e.label);
    if (!rows.length || (x > 0 && x + w > width)) { rows.push([]); x = 0; }
    rows[rows.length - 1].push({ ...e, x });
    x += w + 2 * GRID_KEY_PX;
  }
  return rows;
}

/** `text`, cut with an ellipsis to fit `width` px (a canvas squeezes over-wide text into another, narrower font). */
function shorten(text: string, width: number, measure: (t: string) => number): string {
  if (measure(text) <= width) return text;
  let t = text;
  while (t.length > 1 && measure(`${t}…`) > width) t = t.slice(0, -1);
  return `${t}…`;
}
