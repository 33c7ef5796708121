/**
 * The paper's "models" axis on the embedded default: our SSL-pretrained checkpoints (checkpoints/<name>/, two or more
 * sizes), the same architecture at random init (the floor), the label-supervised baseline (checkpoints/supervised-*), and
 * any encoder the user names — `RAYDINO_ENCODERS="name=path;other=path.onnx"` — with no code change.
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../engine/provenance';
import { checkEncoderSpec } from '../features/open-encoder';
import type { Profile } from '../config/profiles';
import { listModels, modelParams } from '../models/registry';

export type EncoderKind = 'ssl' | 'random' | 'supervised' | 'user';

export interface SessionEncoder {
  /** Display name, the `model` column of every result table. */
  name: string;
  /** What lib/features openEncoder takes: a checkpoint folder, a .safetensors / .onnx file, or random:<arch>[:seed]. */
  spec: string;
  kind: EncoderKind;
  /** Registry architecture (vit_nano, …) when known. */
  arch?: string;
  /** Pretraining populations when known (scaling ablation: one vs several). */
  populations?: string[];
  /** Parameter count when known (scaling figure x axis). */
  params?: number;
}

interface CheckpointConfig {
  model?: { name?: string; arch?: string } | string;
  arch?: string;
  name?: string;
  data?: { populations?: unknown };
  [k: string]: unknown;
}

function readJson(file: string): CheckpointConfig | undefined {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return undefined; }
}

/** Architecture name from a checkpoint's config.json or weights sidecar, whatever shape the trainer wrote. */
function archOf(dir: string): string | undefined {
  for (const f of ['config.json', 'model.safetensors.json']) {
    const c = readJson(path.join(dir, f));
    if (!c) continue;
    const m = c.model;
    const cands = [typeof m === 'string' ? m : m?.arch ?? m?.name, c.arch, (c as any).vit?.name, (c as any).student?.arch, c.name];
    const hit = cands.find((x) => typeof x === 'string' && x.startsWith('vit_'));
    if (hit) return hit as string;
  }
  return undefined;
}

/**
 * Populations a checkpoint was pretrained on, from its config.json (plural or singular key). An empty list means the
 * trainer's default mix of every population (lib/pretrain/data.ts), reported as undefined = unknown/all.
 */
export function configPopulations(dir: string): string[] | undefined {
  const c = readJson(path.join(dir, 'config.json'));
  const d = c?.data as any;
  const p = d?.populations ?? d?.population ?? d?.generator?.populations ?? (c as any)?.populations;
  if (!p || (Array.isArray(p) && p.length === 0)) return undefined;
  if (typeof p === 'string') return [p];
  if (Array.isArray(p)) return p.map((e) => (typeof e === 'string' ? e : e.id));
  if (typeof p === 'object') return Object.keys(p);
  return undefined;
}

function hasWeights(dir: string): boolean {
  return ['model.safetensors', 'teacher.safetensors', 'encoder.onnx', 'model.onnx'].some((f) => fs.existsSync(path.join(dir, f)));
}

/**
 * Encoders named in RAYDINO_ENCODERS (`name=spec;name=spec`). A bad entry throws here, at discovery, naming it: a
 * malformed one, a missing file, or a file whose header shows it damaged (checkEncoderSpec), so a long study does not
 * fail hours in when it reaches that encoder.
 */
export function userEncoders(env: string | undefined = process.env.RAYDINO_ENCODERS): SessionEncoder[] {
  if (!env || !env.trim()) return [];
  return env.split(/[;\n]/).map((s) => s.trim()).filter(Boolean).map((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new Error(`invalid RAYDINO_ENCODERS entry: '${entry}' (expected name=path)`);
    const name = entry.slice(0, eq).trim();
    const spec = entry.slice(eq + 1).trim();
    if (!spec.startsWith('random:') && !fs.existsSync(spec)) throw new Error(`RAYDINO_ENCODERS: encoder '${name}' not found at ${spec}`);
    try {
      checkEncoderSpec(spec);
    } catch (e) {
      throw new Error(`RAYDINO_ENCODERS: encoder '${name}': ${(e as Error).message}`);
    }
    return { name, spec, kind: 'user' as const };
  });
}

export interface DiscoverOptions {
  /** Folder holding the checkpoints (default <project>/checkpoints). */
  dir?: string;
  /** Include a random-init encoder per SSL architecture (default true). */
  randomInit?: boolean;
  /** Extra encoders appended (e.g. from a notebook's parameters cell). */
  extra?: SessionEncoder[];
  env?: string;
}

/** Backbone parameters of a registry architecture; Infinity for one the registry lacks (sorted after the known sizes). */
function archSize(arch: string | undefined): number {
  return arch && listModels().includes(arch) ? modelParams(arch) : Infinity;
}

/** Discovery order of SSL checkpoints: architecture size, then every-population before restricted, then name. */
function compareSsl(size: ReadonlyMap<SessionEncoder, number>): (a: SessionEncoder, b: SessionEncoder) => number {
  return (a, b) => {
    const sa = size.get(a)!, sb = size.get(b)!;
    if (sa !== sb) return sa < sb ? -1 : 1;
    const ra = a.populations ? 1 : 0, rb = b.populations ? 1 : 0;
    if (ra !== rb) return ra - rb;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  };
}

/**
 * Every encoder of the comparison, in a stable order: SSL checkpoints (smallest architecture first, the checkpoint
 * pretrained on every population before a population-restricted one of the same size), the supervised baseline(s),
 * random init, then user encoders.
 */
export function discoverEncoders(opts: DiscoverOptions = {}): SessionEncoder[] {
  const dir = opts.dir ?? path.join(projectRoot(), 'checkpoints');
  const out: SessionEncoder[] = [];
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  for (const n of names) {
    const d = path.join(dir, n);
    if (!fs.statSync(d).isDirectory() || !hasWeights(d)) continue;
    const kind: EncoderKind = n.startsWith('supervised') ? 'supervised' : 'ssl';
    out.push({ name: n, spec: d, kind, arch: archOf(d), populations: configPopulations(d) });
  }
  // smallest architecture first; within one size the checkpoint pretrained on every population before a restricted one,
  // then by name. Sorting on file size let an 8-byte metadata difference decide which vit_nano came first — and so
  // which one a quick-profile notebook studied (pickEncoders).
  const ssl = out.filter((e) => e.kind === 'ssl');
  ssl.sort(compareSsl(new Map(ssl.map((e) => [e, archSize(e.arch)]))));
  const sup = out.filter((e) => e.kind === 'supervised');
  const random: SessionEncoder[] = [];
  if (opts.randomInit !== false) {
    for (const arch of [...new Set(ssl.map((e) => e.arch).filter((a): a is string => !!a))]) {
      random.push({ name: `random-${arch}`, spec: `random:${arch}:0`, kind: 'random', arch });
    }
  }
  const all = [...ssl, ...sup, ...random, ...userEncoders(opts.env), ...(opts.extra ?? [])];
  // the name is the `model` column of every result table: two encoders under one name would merge their rows
  const first = new Map<string, SessionEncoder>();
  for (const e of all) {
    const prev = first.get(e.name);
    if (prev) throw new Error(`duplicate encoder name '${e.name}': ${prev.spec} (${prev.kind}) and ${e.spec} (${e.kind}); rename one (RAYDINO_ENCODERS name=path)`);
    first.set(e.name, e);
  }
  return all;
}

/**
 * The encoders a costly section compares: in the quick profile the main SSL encoder (the one whose architecture is the
 * profile's encoder model — pretrained on every population where several are — else the largest SSL checkpoint), the label-supervised baseline(s) and, with `withRandom`, the
 * random-init encoder of the main encoder's architecture (the floor); in the full profile, every encoder. Falls back to
 * every encoder when neither an SSL nor a supervised one exists.
 */
export function pickEncoders(encoders: readonly SessionEncoder[], profile: Pick<Profile, 'name' | 'encoder'>, opts: { withRandom?: boolean } = {}): SessionEncoder[] {
  if (profile.name === 'full') return [...encoders];
  const ssl = encoders.filter((e) => e.kind === 'ssl');
  // of the profile's architecture, the checkpoint pretrained on every population (the main study encoder), not an ablation's
  const ofArch = ssl.filter((e) => e.arch === profile.encoder.model);
  const main = ofArch.find((e) => !e.populations) ?? ofArch[0] ?? ssl[ssl.length - 1];
  const random = opts.withRandom && main ? encoders.filter((e) => e.kind === 'random' && e.arch === main.arch) : [];
  const picked = [...(main ? [main] : []), ...encoders.filter((e) => e.kind === 'supervised'), ...random];
  return picked.length ? picked : [...encoders];
}

/**
 * The study's encoders plus, for every architecture of an SSL or supervised encoder, that architecture at random init
 * (`random-<arch>`, seed 0) when the list lacks it — the floor every figure of 01 / 07 draws, even before any SSL
 * checkpoint exists.
 */
export function withRandomFloors(encoders: readonly SessionEncoder[]): SessionEncoder[] {
  const out = [...encoders];
  const archs = [...new Set(encoders.filter((e) => e.kind === 'ssl' || e.kind === 'supervised').map((e) => e.arch).filter((a): a is string => !!a))];
  for (const arch of archs) {
    if (!out.some((e) => e.kind === 'random' && e.arch === arch)) out.push({ name: `random-${arch}`, spec: `random:${arch}:0`, kind: 'random', arch });
  }
  return out;
}
