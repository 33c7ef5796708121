/** Test helpers: temp copies of test/fixtures/data/<name> with generated images, manifests with overrides. */
import fs from 'fs';
import os from 'os';
import path from 'path';
import sharp from 'sharp';
import { manifestPath } from '../../../lib/data/manifest';
import { writeDicom, type DicomSpec } from './dicom-writer';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'data');
export const reference = () => JSON.parse(fs.readFileSync(path.join(FIXTURES, 'reference.json'), 'utf8'));

const roots: string[] = [];
/** Copy a fixture folder to a fresh temp dir (removed by cleanupRoots). */
export function fixtureRoot(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rd-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  roots.push(dir);
  return dir;
}
export function cleanupRoots(): void {
  for (const d of roots.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Deterministic gradient pixel values. */
function gradient(w: number, h: number, max: number): number[] {
  return Array.from({ length: w * h }, (_, i) => Math.round(((i % w) + Math.floor(i / w)) / (w + h - 2 || 1) * max));
}

export async function writeImage(file: string, kind: 'png8' | 'png16' | 'jpeg' | 'gif', w = 8, h = 8, values?: number[]): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (kind === 'png16') {
    const u16 = Uint16Array.from(values ?? gradient(w, h, 65535));
    await sharp(u16, { raw: { width: w, height: h, channels: 1 } }).toColourspace('grey16').png().toFile(file);
    return;
  }
  const raw = Buffer.from(Uint8Array.from(values ?? gradient(w, h, 255)));
  const s = sharp(raw, { raw: { width: w, height: h, channels: 1 } });
  await (kind === 'png8' ? s.png() : kind === 'gif' ? s.gif() : s.jpeg({ quality: 95 })).toFile(file);
}

export function writeDicomFile(file: string, spec: Partial<DicomSpec> & { rows: number; columns: number }): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, writeDicom({ bitsAllocated: 16, pixels: gradient(spec.columns, spec.rows, 4095), ...spec }));
}

/** The shipped manifest `id` with top-level fields replaced by `patch` (e.g. options). */
export function manifestWith(id: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const m = JSON.parse(fs.readFileSync(manifestPath(id), 'utf8'));
  return { ...m, ...patch, root: null };
}
