/**
 * Saving a figure: a vega-lite spec → `<dir>/<name>.svg` (with provenance in `<metadata>`), `<name>.png` and a
 * `<name>.json` sidecar holding the provenance and the spec itself (so a figure can be re-rendered or restyled
 * without re-running anything). A figure is a function `(table, opts) => spec`; saving is this separate step.
 *
 * @example
 * const files = await saveFigure(metricBars(results), 'fig2a-auroc', { dir: 'figures/02-classification', provenance, scale: profile.figures.pngScale });
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Provenance } from '../engine/provenance';
import { checkName, resolveOutDir } from './paths';
import { embedSvgMetadata, specToSvg, svgToPng, VegaLiteSpec } from './vega-render';

export interface SaveFigureOptions {
  /** Output folder (see resolveOutDir; default figures/). */
  dir?: string;
  /** PNG scale over the SVG size (the profile's figures.pngScale); needed when a PNG is written. */
  scale?: number;
  /** Formats to write (default both). */
  formats?: ('svg' | 'png')[];
  /** Provenance to record (lib/session's, or collectProvenance with the run's profile). */
  provenance: Provenance;
  /** Extra fields for the sidecar (e.g. which paper figure this reproduces). */
  meta?: Record<string, unknown>;
}

export interface SavedFigure {
  svg?: string;
  png?: string;
  json: string;
  width: number;
  height: number;
}

/** Every inline dataset of a spec (`data.values` at any level, top-level `datasets`), to tell an empty figure. */
function inlineDatasets(spec: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(spec)) { for (const s of spec) inlineDatasets(s, out); return out; }
  if (!spec || typeof spec !== 'object') return out;
  const o = spec as Record<string, unknown>;
  const data = o.data as { values?: unknown } | undefined;
  if (data && Array.isArray(data.values)) out.push(data.values);
  if (o.datasets && typeof o.datasets === 'object') for (const v of Object.values(o.datasets)) if (Array.isArray(v)) out.push(v);
  for (const k of ['layer', 'hconcat', 'vconcat', 'concat', 'spec']) if (o[k]) inlineDatasets(o[k], out);
  return out;
}

/**
 * Renders and writes a figure; returns the paths written and the SVG size in px. A spec whose inline data are all
 * empty throws (an empty figure is an error, not a file).
 */
export async function saveFigure(spec: VegaLiteSpec, name: string, opts: SaveFigureOptions): Promise<SavedFigure> {
  checkName(name);
  const sets = inlineDatasets(spec);
  if (sets.length > 0 && sets.every((v) => v.length === 0)) {
    throw new Error(`saveFigure: figure '${name}' (${resolveOutDir(opts.dir)}) has no data rows — an empty figure is an error, not a file`);
  }
  const dir = resolveOutDir(opts.dir);
  const formats = opts.formats ?? ['svg', 'png'];
  if (formats.includes('png') && opts.scale === undefined) throw new Error(`saveFigure: figure '${name}': a PNG needs its scale (the profile's figures.pngScale)`);
  const provenance = opts.provenance;
  const record = { figure: name, ...opts.meta, provenance };
  const svg = embedSvgMetadata(await specToSvg(spec), record);
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  fs.mkdirSync(dir, { recursive: true });
  const out: SavedFigure = { json: path.join(dir, `${name}.json`), width: size ? Number(size[1]) : NaN, height: size ? Number(size[2]) : NaN };
  if (formats.includes('svg')) {
    out.svg = path.join(dir, `${name}.svg`);
    fs.writeFileSync(out.svg, svg);
  }
  if (formats.includes('png')) {
    out.png = path.join(dir, `${name}.png`);
    fs.writeFileSync(out.png, svgToPng(svg, { scale: opts.scale! }));
  }
  fs.writeFileSync(out.json, `${JSON.stringify({ ...record, files: { svg: out.svg && path.basename(out.svg), png: out.png && path.basename(out.png) }, spec }, null, 2)}\n`);
  return out;
}
