/**
 * Headless vega-lite rendering: spec → vega (vega-lite compile) → SVG (vega View, renderer 'none') → PNG (resvg).
 * No browser, no canvas package; text is measured by vega's estimator and drawn by resvg with DejaVu Sans.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { resvgFontOptions } from './fonts';

export type VegaLiteSpec = TopLevelSpec;

/** Compiles a vega-lite spec to SVG text. Throws with the spec's title when vega-lite rejects it. */
export async function specToSvg(spec: VegaLiteSpec): Promise<string> {
  let compiled: vega.Spec;
  try {
    compiled = vl.compile(spec).spec;
  } catch (e) {
    const title = typeof spec.title === 'string' ? ` '${spec.title}'` : '';
    throw new Error(`vega-lite cannot compile spec${title}: ${(e as Error).message}`);
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
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
