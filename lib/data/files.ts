/** File-system helpers for parsers whose image paths are not derivable from metadata (e.g. SIIM's nested UIDs). */
import fs from 'fs';
import path from 'path';

/** Recursively map file stem → absolute path for files with the given extensions (lower-case, with dot). */
export function indexFiles(dir: string, exts: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const ext = path.extname(e.name).toLowerCase();
        if (exts.includes(ext)) out.set(e.name.slice(0, -ext.length), p);
      }
    }
  };
  walk(dir);
  return out;
}
