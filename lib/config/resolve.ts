/**
 * Typed defaults + small overrides, validated at the edge (as dinov2's default YAML + override files: one typed
 * source of defaults per config, and a bad value is refused where it enters, naming its field).
 * `resolveConfig` deep-merges plain objects (arrays and scalars replace) and validates with zod, naming the path of
 * every bad field.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';

/** Deep partial for override objects. */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Deep merge: objects merge key by key, everything else (arrays, scalars) in `over` replaces `base`. Nothing mutated. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge((base as Record<string, unknown>)[k], v) : v;
  return out as T;
}

/** Formats zod issues as `where: path.to.field: message` lines. */
export function formatIssues(where: string, error: z.ZodError): string {
  return error.issues.map((i) => `${where}: ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
}

/** Merges `overrides` into `defaults` and validates against `schema`; throws naming `where` and each bad field. */
export function resolveConfig<S extends z.ZodTypeAny>(schema: S, defaults: z.input<S>, overrides?: unknown, where = 'config'): z.output<S> {
  const merged = deepMerge(defaults, overrides);
  const r = schema.safeParse(merged);
  if (!r.success) throw new Error(`invalid ${where}:\n${formatIssues(where, r.error)}`);
  return r.data;
}

/** Writes the resolved config as pretty JSON (`config.json` beside checkpoints and figures). Returns the path. */
export function writeResolvedConfig(dir: string, config: unknown, name = 'config.json'): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** Reads a JSON config file and validates it with `resolve`, naming the file when it is missing or not JSON. */
export function loadJsonConfig<T>(file: string, what: string, resolve: (raw: unknown, where: string) => T): T {
  if (!fs.existsSync(file)) throw new Error(`${what} not found: ${file}`);
  let raw: unknown;
  try { raw = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return resolve(raw, file);
}

/**
 * The two entry points of a run config built on `schema`: `resolve(overrides, where)` (defaults + overrides, validated)
 * and `load(file)` (a JSON override file). `what` names the config in errors ('pretrain config').
 */
export function configEntryPoints<S extends z.ZodTypeAny>(schema: S, what: string): {
  resolve: (overrides?: unknown, where?: string) => z.output<S>;
  load: (file: string) => z.output<S>;
} {
  const resolve = (overrides: unknown = {}, where = what): z.output<S> => resolveConfig(schema, {} as z.input<S>, overrides, where);
  return { resolve, load: (file: string) => loadJsonConfig(file, what, resolve) };
}
