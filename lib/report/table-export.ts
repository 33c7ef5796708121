/**
 * Tidy tables as text: CSV (RFC 4180, full precision — for machines), Markdown and LaTeX (booktabs; numbers rounded —
 * for people and papers). Input: an arquero table or an array of row objects.
 */
export type Cell = string | number | boolean | null | undefined | Date;
export type Row = Record<string, Cell | unknown>;
export type TableLike = Row[] | { objects(): object[]; columnNames(): string[] };

export interface TextTable { columns: string[]; rows: Row[] }

/** Columns (arquero order, else first-seen order over rows) and rows. */
export function toTextTable(table: TableLike): TextTable {
  if (Array.isArray(table)) {
    const cols: string[] = [];
    const seen = new Set<string>();
    for (const r of table) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); cols.push(k); }
    return { columns: cols, rows: table };
  }
  return { columns: table.columnNames(), rows: table.objects() as Row[] };
}

/** CSV cell: numbers in full (shortest round-trip) precision, NaN/null/undefined empty, quotes when needed. */
function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? '' : String(v);
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(table: TableLike): string {
  const t = toTextTable(table);
  const lines = [t.columns.map(csvCell).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\n')}\n`;
}

export interface FormatOptions {
  /** Decimals for non-integer numbers (default 3). */
  digits?: number;
  /** Per-column formatters, winning over `digits`. */
  format?: Record<string, (v: unknown) => string>;
}

/** Human text of one cell: integers as-is, other numbers to `digits` decimals, NaN as '–', null/undefined empty. */
export function formatCell(v: unknown, digits = 3): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '–';
    if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
    return Number.isInteger(v) ? String(v) : v.toFixed(digits);
  }
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function cells(t: TextTable, opts: FormatOptions): string[][] {
  return t.rows.map((r) => t.columns.map((c) => (opts.format?.[c] ?? ((v: unknown) => formatCell(v, opts.digits)))(r[c])));
}

function isNumericColumn(t: TextTable, c: string): boolean {
  return t.rows.length > 0 && t.rows.every((r) => typeof r[c] === 'number' || r[c] === null || r[c] === undefined);
}

export function toMarkdown(table: TableLike, opts: FormatOptions = {}): string {
  const t = toTextTable(table);
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const head = `| ${t.columns.map(esc).join(' | ')} |`;
  const rule = `|${t.columns.map((c) => (isNumericColumn(t, c) ? '---:' : ':---')).join('|')}|`;
  const body = cells(t, opts).map((r) => `| ${r.map(esc).join(' | ')} |`);
  return `${[head, rule, ...body].join('\n')}\n`;
}

/** Escapes LaTeX's special characters in text. */
export function latexEscape(s: string): string {
  return s.replace(/[\\&%$#_{}~^]/g, (ch) => ({
    '\\': '\\textbackslash{}', '&': '\\&', '%': '\\%', $: '\\$', '#': '\\#', _: '\\_', '{': '\\{', '}': '\\}',
    '~': '\\textasciitilde{}', '^': '\\textasciicircum{}',
  })[ch] as string).replace(/–/g, '--').replace(/−/g, '$-$').replace(/∞/g, '$\\infty$');
}

export function toLatex(table: TableLike, opts: FormatOptions & { caption?: string; label?: string } = {}): string {
  const t = toTextTable(table);
  const align = t.columns.map((c) => (isNumericColumn(t, c) ? 'r' : 'l')).join('');
  const lines = ['\\begin{table}[ht]', '\\centering'];
  if (opts.caption) lines.push(`\\caption{${latexEscape(opts.caption)}}`);
  if (opts.label) lines.push(`\\label{${opts.label}}`);
  lines.push(`\\begin{tabular}{${align}}`, '\\toprule', `${t.columns.map(latexEscape).join(' & ')} \\\\`, '\\midrule');
  for (const r of cells(t, opts)) lines.push(`${r.map(latexEscape).join(' & ')} \\\\`);
  lines.push('\\bottomrule', '\\end{tabular}', '\\end{table}');
  return `${lines.join('\n')}\n`;
}
