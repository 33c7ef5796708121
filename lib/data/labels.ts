/** Raw label values → 1 / 0 / NaN under a configurable policy (see manifest.ts LabelPolicySchema). */
import type { LabelPolicy } from './manifest';

/**
 * CheXpert-style cell: '1'/'1.0' positive, '0'/'0.0' negative, '-1'/'-1.0' uncertain, '' not mentioned.
 * Uncertain → 0 | 1 | NaN by `policy.uncertain`; blank → 0 | NaN by `policy.blank`.
 * Throws `<where>: invalid label value '<raw>'` for anything else.
 */
export function encodeChexpertValue(raw: string, policy: LabelPolicy, where: string): number {
  const s = raw.trim();
  if (s === '') return policy.blank === 'zero' ? 0 : NaN;
  const v = Number(s);
  if (v === 1) return 1;
  if (v === 0) return 0;
  if (v === -1) return policy.uncertain === 'zero' ? 0 : policy.uncertain === 'one' ? 1 : NaN;
  throw new Error(`${where}: invalid label value '${raw}' (expected 1, 0, -1 or blank)`);
}

/** Strict 0/1 cell ('0', '1', '0.0', '1.0'; blank → NaN). */
export function encodeBinaryValue(raw: string, where: string): number {
  const s = raw.trim();
  if (s === '') return NaN;
  const v = Number(s);
  if (v === 1 || v === 0) return v;
  throw new Error(`${where}: invalid label value '${raw}' (expected 0 or 1)`);
}

/** Multi-hot from a list of names; names not in `labelNames` are returned in `unknown` (after alias mapping). */
export function multiHot(names: readonly string[], labelNames: readonly string[], aliases: Record<string, string> = {}): { labels: Record<string, number>; unknown: string[] } {
  const labels: Record<string, number> = {};
  for (const l of labelNames) labels[l] = 0;
  const unknown: string[] = [];
  for (const raw of names) {
    const n = aliases[raw] ?? raw;
    if (n in labels) labels[n] = 1; else unknown.push(raw);
  }
  return { labels, unknown };
}

/**
 * Parse a Python list literal of strings as PadChest writes them: "['a', 'b']", "[]", with either quote style,
 * possibly containing "nan". Throws `<where>: not a list literal` otherwise.
 */
export function parsePythonList(raw: string, where: string): string[] {
  const s = raw.trim();
  if (s === '' || s === 'nan') return [];
  if (!s.startsWith('[') || !s.endsWith(']')) throw new Error(`${where}: not a Python list literal: '${raw.slice(0, 60)}'`);
  const out: string[] = [];
  const re = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(nan|None))\s*(,|$)/y;
  const body = s.slice(1, -1);
  if (body.trim() === '') return out;
  re.lastIndex = 0;
  while (re.lastIndex < body.length) {
    const m = re.exec(body);
    if (!m) throw new Error(`${where}: not a Python list literal: '${raw.slice(0, 60)}'`);
    const v = m[1] ?? m[2];
    if (v !== undefined) out.push(v.replace(/\\(.)/g, '$1').trim());
    if (m[4] === '') break;
  }
  return out;
}
