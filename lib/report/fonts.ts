/**
 * Fonts for rasterising figures. resvg draws no text at all without a font file, so we look for DejaVu Sans (the
 * font our specs name; Debian `fonts-dejavu-core`, installed by .ci/run) and fall back to the system's fonts with a
 * one-time warning. `RAYDINO_FONT_DIR` adds a folder to search first.
 */
import { GlobalFonts } from '@napi-rs/canvas';
import * as fs from 'fs';
import * as path from 'path';

export const FONT_FAMILY = 'DejaVu Sans';

const SEARCH_DIRS = [
  '/usr/share/fonts/truetype/dejavu',     // Debian/Ubuntu fonts-dejavu-core
  '/usr/share/fonts/dejavu',              // Fedora/Arch
  '/usr/share/fonts/TTF',
  '/usr/local/share/fonts',
  '/Library/Fonts',
  '/System/Library/Fonts/Supplemental',
];

const WANTED = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSansMono.ttf'];

/** Absolute paths of the DejaVu Sans files found (empty when none). */
export function findFontFiles(env: Record<string, string | undefined> = process.env): string[] {
  const dirs = [env.RAYDINO_FONT_DIR, ...SEARCH_DIRS].filter((d): d is string => !!d);
  for (const dir of dirs) {
    const found = WANTED.map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
    if (found.length) return found;
  }
  return [];
}

let warned = false;

/** resvg font options: DejaVu files when found, else system fonts (warns once that text may differ or be missing). */
export function resvgFontOptions(): { fontFiles: string[]; loadSystemFonts: boolean; defaultFontFamily: string } {
  const fontFiles = findFontFiles();
  if (!fontFiles.length && !warned) {
    warned = true;
    console.warn('raydino: DejaVu Sans not found; PNG text uses system fonts (install fonts-dejavu-core, or set RAYDINO_FONT_DIR)');
  }
  return { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: FONT_FAMILY };
}

let canvasFontsRegistered = false;
/**
 * Registers DejaVu Sans (regular, bold) with Skia (@napi-rs/canvas) once; returns the CSS font family to use — the X-ray
 * panels draw with it, and the figure renderer measures text with it so layout matches what resvg draws.
 */
export function ensureCanvasFonts(): string {
  if (!canvasFontsRegistered) {
    canvasFontsRegistered = true;
    // Only the proportional faces: registering DejaVuSansMono under the same family name would make Skia pick it.
    for (const f of findFontFiles().filter((p) => /DejaVuSans(-Bold)?\.ttf$/.test(p))) GlobalFonts.registerFromPath(f, FONT_FAMILY);
  }
  return GlobalFonts.has(FONT_FAMILY) ? `"${FONT_FAMILY}"` : 'sans-serif';
}
