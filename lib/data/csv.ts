/**
 * RFC 4180 CSV reading with line numbers, so that every error can name the file and line.
 * Handles quoted fields (embedded commas, quotes as "", newlines), CRLF, a UTF-8 BOM, `.gz` files and
 * comment lines (e.g. the `##` preamble of covid-severity-scores.csv).
 */
import fs from 'fs';
import zlib from 'zlib';

export interface CsvRow {
  /** 1-based line of the file where this record starts. */
  line: number;
  fields: string[];
}

export interface CsvTable {
  file: string;
  header: string[];
  headerLine: number;
  rows: CsvRow[];
}

export interface CsvOptions {
  delimiter?: string;
  /** Lines starting with this prefix (before the header) are skipped. */
  comment?: string;
  /** The file has no header row: `header` is then supplied. */
  header?: string[];
}

/** Read a text file, gunzipping `.gz`. Throws `missing metadata file <file>` when absent. */
export function readText(file: string): string {
  if (!fs.existsSync(file)) throw new Error(`missing metadata file ${file}`);
  const buf = fs.readFileSync(file);
  const text = file.endsWith('.gz') ? zlib.gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Split CSV text into records (arrays of fields) with their starting line numbers. */
export function parseCsvRecords(text: string, file: string, delimiter = ','): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let start = 1;
  let any = false; // the current record has content (so a trailing newline does not make an empty record)
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') { inQuotes = true; any = true; continue; }
    if (c === delimiter) { fields.push(field); field = ''; any = true; continue; }
    if (c === '\r' && text[i + 1] === '\n') continue;
    if (c === '\n' || c === '\r') {
      if (any || field !== '') { fields.push(field); rows.push({ line: start, fields }); }
      fields = []; field = ''; any = false;
      line++; start = line;
      continue;
    }
    field += c; any = true;
  }
  if (inQuotes) throw new Error(`${file}:${start}: unterminated quoted field`);
  if (any || field !== '') { fields.push(field); rows.push({ line: start, fields }); }
  return rows;
}

/** Parse CSV text with a header row. */
export function parseCsv(text: string, file: string, opts: CsvOptions = {}): CsvTable {
  let records = parseCsvRecords(text, file, opts.delimiter ?? ',');
  if (opts.comment) {
    const c = opts.comment;
    let k = 0;
    while (k < records.length && (records[k].fields[0] ?? '').startsWith(c)) k++;
    records = records.slice(k);
  }
  if (opts.header) return { file, header: opts.header, headerLine: 0, rows: records };
  if (records.length === 0) throw new Error(`${file}: empty file (no header row)`);
  const [head, ...rows] = records;
  return { file, header: head.fields.map((h) => h.trim()), headerLine: head.line, rows };
}

export function readCsv(file: string, opts: CsvOptions = {}): CsvTable {
  return parseCsv(readText(file), file, opts);
}

/**
 * Column accessor: `const get = columns(t, ['Path', 'Sex'])` then `get(row, 'Sex')`.
 * Throws `<file>: missing column 'X' (header: …)` for absent required columns; optional ones read as ''.
 * Rows with fewer fields than needed throw `<file>:<line>: …`.
 */
export function columns(t: CsvTable, required: readonly string[], optional: readonly string[] = []): (row: CsvRow, name: string) => string {
  const index = new Map<string, number>();
  t.header.forEach((h, i) => { if (!index.has(h)) index.set(h, i); });
  for (const name of required) {
    if (!index.has(name)) throw new Error(`${t.file}: missing column '${name}' (header: ${t.header.join(', ')})`);
  }
  const known = new Set([...required, ...optional]);
  return (row, name) => {
    const i = index.get(name);
    if (i === undefined) {
      if (known.has(name)) return '';
      throw new Error(`${t.file}: unknown column '${name}'`);
    }
    if (i >= row.fields.length) {
      if (optional.includes(name)) return '';
      throw new Error(`${t.file}:${row.line}: row has ${row.fields.length} fields, column '${name}' is field ${i + 1}`);
    }
    return row.fields[i].trim();
  };
}

/** Parse a number field; '' → NaN; anything unparsable throws naming file, line and column. */
export function numberField(t: CsvTable, row: CsvRow, name: string, raw: string): number {
  if (raw === '') return NaN;
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new Error(`${t.file}:${row.line}: column '${name}': not a number: '${raw}'`);
  return v;
}
