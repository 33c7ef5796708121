/**
 * Saving a table: `<dir>/<name>.csv` (full precision), `.md` and `.tex` (rounded, booktabs), plus a `<name>.json`
 * sidecar with provenance.
 *
 * @example
 * await saveTable(results, 'table-s2', { dir: 'figures/05-bias', caption: 'AUROC by sex', digits: 3 });
 */
import * as fs from 'fs';
import * as path from 'path';
import { collectProvenance, Provenance } from '../engine/provenance';
import { checkName, resolveOutDir } from './paths';
import { FormatOptions, TableLike, toCsv, toLatex, toMarkdown } from './table-export';

export interface SaveTableOptions extends FormatOptions {
  dir?: string;
  caption?: string;
  /** LaTeX \label (default `tab:<name>`). */
  label?: string;
  provenance?: Provenance;
  meta?: Record<string, unknown>;
}

export interface SavedTable { csv: string; md: string; tex: string; json: string }

export async function saveTable(table: TableLike, name: string, opts: SaveTableOptions = {}): Promise<SavedTable> {
  checkName(name);
  const dir = resolveOutDir(opts.dir);
  fs.mkdirSync(dir, { recursive: true });
  const out: SavedTable = {
    csv: path.join(dir, `${name}.csv`), md: path.join(dir, `${name}.md`), tex: path.join(dir, `${name}.tex`), json: path.join(dir, `${name}.json`),
  };
  const provenance = opts.provenance ?? (await collectProvenance());
  fs.writeFileSync(out.csv, toCsv(table));
  fs.writeFileSync(out.md, toMarkdown(table, opts));
  fs.writeFileSync(out.tex, toLatex(table, { ...opts, label: opts.label ?? `tab:${name}` }));
  fs.writeFileSync(out.json, `${JSON.stringify({ table: name, caption: opts.caption, ...opts.meta, provenance }, null, 2)}\n`);
  return out;
}
