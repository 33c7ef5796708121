/**
 * Headless vega-lite rendering: spec → vega (vega-lite compile) → SVG (vega View, renderer 'none') → PNG (resvg).
 * No browser. Text is drawn by resvg with DejaVu Sans and measured with the same font through Skia (@napi-rs/canvas):
 * vega's fallback estimate (0.8 em per character) is about 1.4× the drawn width, so titles and legends reserved that much
 * room and canvases came out half empty.
 */
import { createCanvas } from '@napi-rs/canvas';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { ensureCanvasFonts, findFontFiles, resvgFontOptions } from './fonts';

export type VegaLiteSpec = TopLevelSpec;

interface TextItem { fontSize?: number | string; fontStyle?: string; fontWeight?: string | number; limit?: number; ellipsis?: string }

/** vega's text-measuring hook (vega-scenegraph `textMetrics`; a user-set `width` is honoured, as vl-convert does). */
const textMetrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics;

/**
 * vega's text width with the font resvg draws: every family is measured as DejaVu Sans (resvg's default family; our
 * specs name it), with the item's size, weight and style, and `limit` truncation as vega does it (binary search on the
 * prefix that fits with the ellipsis). Without the DejaVu files vega keeps its estimate. Returns whether it is in use.
 */
export function useMeasuredTextWidths(): boolean {
  if (measuredInstalled !== undefined) return measuredInstalled;
  if (!findFontFiles().length) return (measuredInstalled = false);
  const family = ensureCanvasFonts();
  const ctx = createCanvas(1, 1).getContext('2d');
  const cache = new Map<string, number>();
  const measure = (text: string, font: string): number => {
    const key = `${font}\u0000${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      ctx.font = font;
      w = ctx.measureText(text).width;
      if (cache.size > 50_000) cache.clear();
      cache.set(key, w);
    }
    return w;
  };
  textMetrics.width = (item, line) => {
    const size = item.fontSize != null ? +item.fontSize || 0 : 11;
    let text = line == null ? '' : String(line).trim();
    if (size <= 0 || !text) return 0;
    const font = `${item.fontStyle ? `${item.fontStyle} ` : ''}${item.fontWeight ? `${item.fontWeight} ` : ''}${size}px ${family}`;
    const limit = +(item.limit ?? 0);
    if (limit > 0 && measure(text, font) >= limit) {
      const ellipsis = item.ellipsis || '\u2026';
      const room = limit - measure(ellipsis, font);
      let lo = 0, hi = text.length;
      while (lo < hi) {
        const mid = 1 + ((lo + hi) >>> 1);
        if (measure(text.slice(0, mid), font) < room) lo = mid; else hi = mid - 1;
      }
      text = text.slice(0, lo) + ellipsis;
    }
    return measure(text, font);
  };
  return (measuredInstalled = true);
}
let measuredInstalled: boolean | undefined;

/** Compiles a vega-lite spec to SVG text. Throws with the spec's title when vega-lite rejects it. */
function render(spec: VegaLiteSpec): Promise<string> {
  let compiled: vega.Spec;
  try {
    compiled = vl.compile(spec).spec;
  } catch (e) {
    const title = typeof spec.title === 'string' ? ` '${spec.title}'` : '';
    throw new Error(`vega-lite cannot compile spec${title}: ${(e as Error).message}`);
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  return view.toSVG().finally(() => view.finalize());
}

const svgWidth = (svg: string): number => Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1] ?? NaN);

/**
 * Lines of `text` (greedy, on spaces) each at most `width` px wide in `font` — a long figure title would otherwise set the
 * canvas width and leave the plot in its left half.
 */
export function wrapText(text: string, width: number, measure: (t: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next) > width) { lines.push(line); line = word; } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Compiles a vega-lite spec to SVG text. A top-level title wider than the figure under it is wrapped to that width (the
 * figure is laid out once without its title to know it); the spec itself is not changed.
 */
export async function specToSvg(spec: VegaLiteSpec): Promise<string> {
  useMeasuredTextWidths();
  const raw = spec.title as unknown;
  const text = typeof raw === 'string' ? raw : raw && typeof raw === 'object' && typeof (raw as { text?: unknown }).text === 'string' ? (raw as { text: string }).text : undefined;
  const svg = await render(spec);
  if (text === undefined || !measuredInstalled) return svg;
  const { title: _omit, ...untitled } = spec as VegaLiteSpec & { title?: unknown };
  const body = svgWidth(await render(untitled as VegaLiteSpec));
  if (!(body > 0) || !(svgWidth(svg) > body + 1)) return svg;
  const cfg = ((spec as { config?: { title?: { fontSize?: number; fontWeight?: string | number } } }).config?.title) ?? {};
  const size = (raw && typeof raw === 'object' ? (raw as { fontSize?: number }).fontSize : undefined) ?? cfg.fontSize ?? 13;
  const item: TextItem = { fontSize: size, fontWeight: (raw && typeof raw === 'object' ? (raw as { fontWeight?: string }).fontWeight : undefined) ?? cfg.fontWeight ?? 'bold' };
  // body includes the canvas padding (5 px a side); the title text sits inside it
  const lines = wrapText(text, Math.max(body - 10, 320), (t) => textMetrics.width(item, t));
  if (lines.length < 2) return svg;
  const title = typeof raw === 'string' ? { text: lines } : { ...(raw as object), text: lines };
  return render({ ...spec, title } as VegaLiteSpec);
}

/** Rasterises SVG text to PNG bytes at `scale` × the SVG's own size. */
export function svgToPng(svg: string, opts: { scale?: number; background?: string } = {}): Buffer {
  const scale = opts.scale ?? 2;
  if (!(scale > 0)) throw new Error(`invalid scale: ${scale}`);
  const r = new Resvg(svg, {
    font: resvgFontOptions(),
    fitTo: { mode: 'zoom', value: scale },
    background: opts.background ?? 'white',
  });
  return r.render().asPng();
}

/**
 * Puts a `<metadata>` element (JSON in CDATA) right after the root `<svg …>` tag, so a figure file says where it came
 * from. `]]>` inside the JSON is split so the CDATA stays well-formed.
 */
export function embedSvgMetadata(svg: string, meta: unknown, id = 'raydino-provenance'): string {
  const open = svg.indexOf('<svg');
  const end = open < 0 ? -1 : svg.indexOf('>', open);
  if (end < 0) throw new Error('embedSvgMetadata: no <svg> root element');
  const json = JSON.stringify(meta).replace(/]]>/g, ']]]]><![CDATA[>');
  return `${svg.slice(0, end + 1)}<metadata id="${id}"><![CDATA[${json}]]></metadata>${svg.slice(end + 1)}`;
}

/** Reads back metadata written by embedSvgMetadata (undefined when absent). */
export function readSvgMetadata(svg: string, id = 'raydino-provenance'): unknown {
  const m = new RegExp(`<metadata id="${id}"><!\\[CDATA\\[([\\s\\S]*?)\\]\\]></metadata>`).exec(svg);
  return m ? JSON.parse(m[1].replace(/]]]]><!\[CDATA\[>/g, ']]>')) : undefined;
}
