/**
 * The one argv parser of every `raydino` command: `--key value`, `--key=value`, `--flag`, positionals. Each command
 * declares its flags; anything it did not declare, a missing value, a value of the wrong type or a missing required
 * flag is a UsageError (main prints it with the command's usage and exits 2), so a typo never runs silently with
 * defaults.
 */
export type FlagType = 'string' | 'number' | 'boolean';

export interface FlagSpec {
  type: FlagType;
  required?: boolean;
  /** string flags: the accepted values. */
  choices?: readonly string[];
  /** number flags: must be an integer. */
  integer?: boolean;
  /** number flags: smallest accepted value. */
  min?: number;
}

export interface ArgSpec {
  flags: Record<string, FlagSpec>;
  /** Number of positional arguments accepted: exact, or [min, max] (default 0). */
  positionals?: number | [number, number];
}

export interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | boolean>;
}

/** Wrong command-line input: main prints `raydino <command>: <message>` and the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = t;
    }
  }
  return d[b.length];
}

/** The declared flag closest to a misspelt one (edit distance ≤ 2, or one a prefix of the other), if any. */
export function suggestFlag(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const prefix = name.length >= 3 && (k.startsWith(name) || name.startsWith(k));
    const d = editDistance(name, k);
    if ((d <= 2 && d < name.length) || prefix) {
      if (d < bestD) { best = k; bestD = d; }
    }
  }
  return best;
}

function checkValue(name: string, spec: FlagSpec, v: string): void {
  if (spec.type === 'number') {
    const n = v.trim() === '' ? NaN : Number(v);
    if (!Number.isFinite(n)) throw new UsageError(`invalid --${name}: ${v} (a number)`);
    if (spec.integer && !Number.isInteger(n)) throw new UsageError(`invalid --${name}: ${v} (an integer)`);
    if (spec.min !== undefined && n < spec.min) throw new UsageError(`invalid --${name}: ${v} (at least ${spec.min})`);
  } else if (spec.choices && !spec.choices.includes(v)) {
    throw new UsageError(`invalid --${name}: ${v} (expected ${spec.choices.join(', ')})`);
  }
}

export function parseArgs(argv: string[], spec: ArgSpec): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const known = Object.keys(spec.flags);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('--')) {
      // A single dash followed by a letter is a short flag we do not have (`-n 5`); negative numbers stay positionals.
      if (/^-[A-Za-z]/.test(a)) throw new UsageError(`unknown option ${a} (options are spelt --name)`);
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const s = spec.flags[name];
    if (!s) {
      const hint = suggestFlag(name, known);
      throw new UsageError(`unknown option --${name}${hint ? ` (did you mean --${hint}?)` : ''}`);
    }
    if (name in flags) throw new UsageError(`--${name} given twice`);
    if (s.type === 'boolean') {
      if (eq > 0) throw new UsageError(`--${name} is a switch and takes no value (got --${name}=${a.slice(eq + 1)})`);
      flags[name] = true;
      continue;
    }
    let v: string;
    if (eq > 0) v = a.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      v = next;
      i++;
    }
    if (v === '') throw new UsageError(`--${name} needs a value`);
    checkValue(name, s, v);
    flags[name] = v;
  }
  for (const [name, s] of Object.entries(spec.flags)) {
    if (s.required && !(name in flags)) throw new UsageError(`missing --${name}`);
  }
  const [lo, hi] = typeof spec.positionals === 'number' ? [spec.positionals, spec.positionals] : (spec.positionals ?? [0, 0]);
  if (positional.length > hi) throw new UsageError(`unexpected argument${positional.length - hi > 1 ? 's' : ''}: ${positional.slice(hi).join(' ')}`);
  if (positional.length < lo) throw new UsageError(`missing argument${lo > 1 ? 's' : ''} (expected ${lo}, got ${positional.length})`);
  return { positional, flags };
}

export function stringFlag(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new UsageError(`--${name} needs a value`);
  return v;
}

export function requireFlag(args: ParsedArgs, name: string): string {
  const v = stringFlag(args, name);
  if (v === undefined) throw new UsageError(`missing --${name}`);
  return v;
}

export function numberFlag(args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const v = stringFlag(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`invalid --${name}: ${v}`);
  return n;
}
