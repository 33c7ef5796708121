/**
 * Where outputs go. Relative output folders resolve against the project root (not the cwd: notebooks run with cwd =
 * notebooks/), so `saveFigure(spec, 'x', { dir: 'figures/00-environment' })` lands in <root>/figures/00-environment.
 * `RAYDINO_FIGURES_DIR` moves the figures root (tests, CI artefacts).
 */
import * as path from 'path';
import { projectRoot } from '../engine/provenance';

/** The figures root: RAYDINO_FIGURES_DIR or <project>/figures. */
export function figuresRoot(): string {
  const env = process.env.RAYDINO_FIGURES_DIR;
  return env ? path.resolve(projectRoot(), env) : path.join(projectRoot(), 'figures');
}

/**
 * Resolves an output folder: absolute stays; `figures/…` (or `figures`) is placed under figuresRoot();
 * any other relative path is under the project root; undefined → figuresRoot().
 */
export function resolveOutDir(dir?: string): string {
  if (!dir) return figuresRoot();
  if (path.isAbsolute(dir)) return dir;
  const norm = path.normalize(dir);
  if (norm === 'figures' || norm.startsWith(`figures${path.sep}`)) return path.join(figuresRoot(), path.relative('figures', norm));
  return path.join(projectRoot(), norm);
}

/** Checks a figure/table name is a plain file stem (no folders, no extension games). */
export function checkName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..')) {
    throw new Error(`invalid figure/table name: '${name}' (letters, digits, . _ - only; folders go in { dir })`);
  }
  return name;
}
