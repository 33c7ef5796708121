/**
 * Inline display in notebooks. Each call sends one MIME bundle holding several representations so every viewer finds
 * one it renders: JupyterLab draws `application/vnd.vegalite.v5+json` (interactive); exported HTML, GitHub and
 * nbviewer use the `image/svg+xml` (or PNG) rendering; terminals get `text/plain`. Outside a notebook the functions
 * print a short text line and still return what they rendered.
 *
 * @example
 * await show(metricBars(results));
 * showTable(results, { limit: 10 });
 * showImage(await renderXray({ image, heatmap }));
 */
import { displayBundle, MimeBundle } from '../engine/jupyter-display';
import { specToSvg, svgToPng, VegaLiteSpec } from '../report/vega-render';
import { formatCell, TableLike, toMarkdown, toTextTable } from '../report/table-export';

export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

function specTitle(spec: VegaLiteSpec): string {
  const t = spec.title;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && 'text' in t) return String((t as { text: unknown }).text);
  return spec.description ?? 'figure';
}

/**
 * Shows a vega-lite spec: vega-lite JSON + SVG (+ PNG with `png: true`) + text. Returns nothing, so a notebook cell
 * ending in `await show(spec)` prints no echo; use specToSvg for the SVG text.
 */
export async function show(spec: VegaLiteSpec, opts: { png?: boolean } = {}): Promise<void> {
  const svg = await specToSvg(spec);
  const bundle: MimeBundle = { [VEGALITE_MIME]: spec as object, 'image/svg+xml': svg, 'text/plain': `[figure: ${specTitle(spec)}]` };
  if (opts.png) bundle['image/png'] = svgToPng(svg, { scale: 1.5 });
  if (!displayBundle(bundle)) console.log(`[figure: ${specTitle(spec)}]`);
}

function htmlEscape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

/** HTML for a table (first `limit` rows; a caption says how many were left out). */
export function tableHtml(table: TableLike, opts: { limit?: number; digits?: number; caption?: string } = {}): string {
  const t = toTextTable(table);
  const limit = opts.limit ?? 20;
  const rows = t.rows.slice(0, limit);
  const numeric = t.columns.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || r[c] == null));
  const head = t.columns.map((c, j) => `<th style="text-align:${numeric[j] ? 'right' : 'left'}">${htmlEscape(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${t.columns.map((c, j) => `<td style="text-align:${numeric[j] ? 'right' : 'left'}">${htmlEscape(formatCell(r[c], opts.digits))}</td>`).join('')}</tr>`).join('\n');
  const more = t.rows.length > limit ? `${t.rows.length - limit} more rows of ${t.rows.length}` : '';
  const cap = [opts.caption, more].filter(Boolean).map((s) => htmlEscape(s as string)).join(' · ');
  return `<table>${cap ? `<caption>${cap}</caption>` : ''}\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Shows a table as HTML (+ Markdown text). Returns nothing (no cell echo); tableHtml gives the HTML. */
export function showTable(table: TableLike, opts: { limit?: number; digits?: number; caption?: string } = {}): void {
  const html = tableHtml(table, opts);
  const t = toTextTable(table);
  const md = toMarkdown(t.rows.slice(0, opts.limit ?? 20), { digits: opts.digits });
  if (!displayBundle({ 'text/html': html, 'text/plain': md })) console.log(md);
}

/** Shows PNG bytes inline (e.g. from renderXray / renderGrid). */
export function showImage(png: Uint8Array, opts: { alt?: string } = {}): void {
  if (!displayBundle({ 'image/png': png, 'text/plain': `[image: ${opts.alt ?? `${png.length} bytes PNG`}]` })) {
    console.log(`[image: ${opts.alt ?? `${png.length} bytes PNG`}]`);
  }
}
