/**
 * Pinpointing accuracy (paper Fig 4e) from evalExplainability's attention maps: the macro accuracy per encoder with a
 * percentile bootstrap CI over findings, and its verdict against the chance level in words.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { createRng } from '../engine/rng';
import type { AttentionMap } from '../eval/explainability/pinpointing';

/** What the pinpointing summaries read of a Session.compare run of evalExplainability (lib/session Comparison fits). */
export interface PinpointingRun { table: ColumnTable; extras: ReadonlyMap<string, { maps: AttentionMap[] }> }

export interface PinpointingSummary { value: number; lo: number; hi: number; findings: number; classes: number }

/** Macro accuracy: the mean over classes of each class's hit rate (classes without findings left out). */
function macroHits(labels: readonly string[], hits: readonly number[], rows: ArrayLike<number>): number {
  const byClass = new Map<string, [number, number]>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const c = byClass.get(labels[r]) ?? [0, 0];
    c[0] += hits[r]; c[1]++;
    byClass.set(labels[r], c);
  }
  let s = 0;
  for (const [h, n] of byClass.values()) s += h / n;
  return s / byClass.size;
}

/**
 * Macro pinpointing accuracy of one set of maps (one seed) with a percentile bootstrap CI: findings resampled with
 * replacement (all together, so that a class with one finding still varies — it may be absent from a resample), the macro
 * mean over the classes present recomputed (`n` resamples, `seed`; numpy.percentile's linear rule).
 */
export function pinpointingCI(maps: readonly Pick<AttentionMap, 'label' | 'hit'>[], opts: { n?: number; seed?: number; level?: number } = {}): PinpointingSummary {
  const n = opts.n ?? 1000, level = opts.level ?? 0.95;
  if (maps.length === 0) throw new Error('pinpointingCI: no attention maps');
  const labels = maps.map((m) => m.label), hits = maps.map((m) => (m.hit ? 1 : 0));
  const m = maps.length;
  const value = macroHits(labels, hits, Int32Array.from({ length: m }, (_, i) => i));
  const rng = createRng(opts.seed ?? 0);
  const boot = new Float64Array(n);
  const rows = new Int32Array(m);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < m; i++) rows[i] = rng.int(m);
    boot[b] = macroHits(labels, hits, rows);
  }
  boot.sort();
  const q = (p: number) => {
    const pos = p * (n - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
    return boot[lo] + (boot[hi] - boot[lo]) * (pos - lo);
  };
  const a = (1 - level) / 2;
  return { value, lo: q(a), hi: q(1 - a), findings: m, classes: new Set(labels).size };
}

/**
 * Fig 4e rows: per model (and dataset) the macro pinpointing accuracy of the first seed's maps with its bootstrap CI,
 * and the chance level evalExplainability reports (a uniformly random patch).
 * Columns: model, dataset, value, lo, hi, chance, findings, classes.
 */
export function pinpointingSummary(results: readonly { model: string; dataset: string; maps: readonly AttentionMap[]; table: ColumnTable }[], opts: { n?: number; seed?: number } = {}): ColumnTable {
  return aq.from(results.map((r) => {
    const seed = r.maps.length ? r.maps[0].seed : 0;
    const s = pinpointingCI(r.maps.filter((m) => m.seed === seed), opts);
    const chance = (r.table.objects() as { seed: number; group: string; metric: string; value: number }[])
      .find((x) => x.seed === seed && x.group === 'macro' && x.metric === 'pinpointing_chance')?.value ?? NaN;
    return { model: r.model, dataset: r.dataset, ...s, chance };
  }));
}

/** Fewer findings than this get no verdict: a bootstrap over a handful of 0/1 hits gives degenerate intervals. */
export const MIN_FINDINGS_FOR_VERDICT = 20;

/**
 * Fig 4e in words, one line per pinpointingSummary row: the accuracy with its CI against the chance level — above chance
 * (CI entirely above), below chance (CI entirely below), not distinguishable from it, or too few findings to say
 * (< MIN_FINDINGS_FOR_VERDICT).
 */
export function describePinpointing(summary: ColumnTable): string[] {
  return (summary.objects() as (PinpointingSummary & { model: string; dataset: string; chance: number })[]).map((r) => {
    const verdict = r.findings < MIN_FINDINGS_FOR_VERDICT ? `too few findings for a verdict (< ${MIN_FINDINGS_FOR_VERDICT})`
      : r.lo > r.chance ? 'above chance' : r.hi < r.chance ? 'BELOW chance (the max-attention patch avoids the findings)' : 'not distinguishable from chance';
    return `${r.model} on ${r.dataset}: ${r.value.toFixed(3)} [${r.lo.toFixed(3)}, ${r.hi.toFixed(3)}] vs chance ${r.chance.toFixed(3)} — ${verdict} (${r.findings} findings, ${r.classes} classes)`;
  });
}

/**
 * evalExplainability outputs of a Session.compare run, one entry per encoder, as pinpointingSummary takes them: each
 * encoder's attention maps and its rows of the stacked table.
 */
export function explainabilityResults(c: PinpointingRun, dataset: string): { model: string; dataset: string; maps: AttentionMap[]; table: ColumnTable }[] {
  return [...c.extras].map(([model, x]) => {
    if (!Array.isArray(x?.maps)) throw new Error(`explainabilityResults: encoder ${model} has no attention maps (not an evalExplainability result?)`);
    return { model, dataset, maps: x.maps, table: c.table.params({ model }).filter((d: any, $: any) => d.model === $.model) };
  });
}

/** The attention maps of one encoder in a Session.compare run of evalExplainability. */
export function mapsOf(c: Pick<PinpointingRun, 'extras'>, model: string): AttentionMap[] {
  const x = c.extras.get(model);
  if (!x) throw new Error(`mapsOf: no encoder '${model}' in the comparison (has: ${[...c.extras.keys()].join(', ')})`);
  if (!Array.isArray(x.maps)) throw new Error(`mapsOf: encoder ${model} has no attention maps`);
  return x.maps;
}
