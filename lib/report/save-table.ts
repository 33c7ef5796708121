/**
 * Saving a table: `<dir>/<name>.csv` (full precision), `.md` and `.tex` (rounded, booktabs), plus a
 * `<name>.table.json` sidecar with provenance (its own name: a figure saved under the same name keeps `<name>.json`).
 * A table with no rows throws: an empty result is an error (a join on the wrong keys, a filter that matched nothing),
 * never a file.
 *
 * @example
 * await saveTable(results, 'table-s2', { dir: 'figures/05-bias', caption: 'AUROC by sex', digits: 3 });
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Provenance } from '../engine/provenance';
import { checkName, resolveOutDir } from './paths';
import { FormatOptions, TableLike, toCsv, toLatex, toMarkdown, toTextTable } from './table-export';

export interface SaveTableOptions extends FormatOptions {
  dir?: string;
  caption?: string;
  /** LaTeX \label (default `tab:<name>`). */
  label?: string;
  /** Provenance to record (lib/session's, or collectProvenance with the run's profile). */
  provenance: Provenance;
  meta?: Record<string, unknown>;
}

export interface SavedTable { csv: string; md: string; tex: string; json: string }

export async function saveTable(table: TableLike, name: string, opts: SaveTableOptions): Promise<SavedTable> {
  checkName(name);
  const dir = resolveOutDir(opts.dir);
  const text = toTextTable(table);
  if (text.rows.length === 0) {
    throw new Error(`saveTable: table '${name}' (${path.join(dir, name)}) has no rows (columns: ${text.columns.join(', ') || 'none'}) — an empty result is an error, not a file`);
  }
  fs.mkdirSync(dir, { recursive: true });
  const out: SavedTable = {
    csv: path.join(dir, `${name}.csv`), md: path.join(dir, `${name}.md`), tex: path.join(dir, `${name}.tex`), json: path.join(dir, `${name}.table.json`),
  };
  const provenance = opts.provenance;
  fs.writeFileSync(out.csv, toCsv(table));
  fs.writeFileSync(out.md, toMarkdown(table, opts));
  fs.writeFileSync(out.tex, toLatex(table, { ...opts, label: opts.label ?? `tab:${name}` }));
  fs.writeFileSync(out.json, `${JSON.stringify({ table: name, caption: opts.caption, ...opts.meta, provenance }, null, 2)}\n`);
  return out;
}
