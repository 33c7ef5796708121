/**
 * A grid of titled image panels in one PNG (qualitative figures: image / ground truth / prediction / attention).
 *
 * @example
 * const png = await renderGrid([{ image: xrayView, title: 'GT' }, { image: predView, title: 'RayDINO' }], { cols: 2 });
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { ensureCanvasFonts } from '../report/fonts';
import { renderXray, XrayView } from './xray';

export interface Panel {
  /** PNG bytes, or an X-ray view rendered with renderXray. */
  image: Buffer | Uint8Array | XrayView;
  title?: string;
}

export interface GridOptions {
  /** Columns (default: min(panels, 4)). */
  cols?: number;
  /** Side of each square cell in px (default: the largest panel's longer side). */
  cell?: number;
  /** Gap between cells (default 6 px). */
  gap?: number;
  /** Title above the whole grid. */
  title?: string;
}

/** Renders panels into a grid; each image is fitted (aspect kept) into its cell under its title. */
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
  const headH = opts.title ? Math.max(20, Math.round(cell / 10)) : 0;
  const rows = Math.ceil(panels.length / cols);
  const W = cols * cell + (cols + 1) * gap;
  const H = headH + rows * (cell + titleH) + (rows + 1) * gap;
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = 'black';
  ctx.textBaseline = 'middle';
  if (opts.title) {
    ctx.font = `bold ${Math.round(headH * 0.65)}px ${family}`;
    ctx.fillText(opts.title, gap, headH / 2 + gap / 2, W - 2 * gap);
  }
  images.forEach((im, k) => {
    const c = k % cols, r = Math.floor(k / cols);
    const x0 = gap + c * (cell + gap), y0 = headH + gap + r * (cell + titleH + gap);
    const title = panels[k].title;
    if (title) {
      ctx.font = `${Math.round(titleH * 0.7)}px ${family}`;
      ctx.fillStyle = 'black';
      ctx.fillText(title, x0, y0 + titleH / 2, cell);
    }
    const s = Math.min(cell / im.width, cell / im.height);
    const w = im.width * s, h = im.height * s;
    ctx.drawImage(im, x0 + (cell - w) / 2, y0 + titleH + (cell - h) / 2, w, h);
  });
  return canvas.encode('png');
}
