/**
 * Transfer to a new population or domain (paper Fig 4a / S4, 4b / S5): cross-population ResultTable rows shaped for the
 * figures (pairs, in- vs out-of-domain points, per-model summaries), the SSL-vs-supervised verdict in words, the floors
 * of the lung transfer figure and the encoders its panels showcase.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { SampleTable } from '../data/types';
import { constantMaskDice } from '../eval/dense/segmentation';
import { idsWithLungMask, lungMaskSource } from '../eval/dense/lung-transfer';
import { TRANSFER_POPULATIONS } from '../eval/grid/generalization';
import { FLOOR_PREFIX } from '../figures/common';
import { probePixels } from '../pretrain/probe';
import { splitIds } from '../features/extract';
import { verdicts } from '../stats/verdict';
import { bestModel } from './best-model';

/** What the transfer summaries need of an encoder (lib/session SessionEncoder fits). */
export interface EncoderKindInfo { name: string; kind: string; arch?: string }

/** Fig 4a's x order: per source population, in-domain first, then the others ('popA → popA', 'popA → popB', …). */
export function transferPairs(pops: readonly string[] = TRANSFER_POPULATIONS): string[] {
  return pops.flatMap((a) => [a, ...pops.filter((b) => b !== a)].map((b) => `${a} → ${b}`));
}

/** `task` 'train popA' → 'popA'. */
export function sourceOf(task: string): string {
  const m = /^train (.+)$/.exec(task);
  if (!m) throw new Error(`sourceOf: task '${task}' is not 'train <population>'`);
  return m[1];
}

/**
 * Fig 4a rows: model, train, test, transfer ('in-domain' | 'out-of-domain'), seed, value — the macro test AUROC of
 * each seed (feed to summariseSeeds with by = ['model', 'train', 'test']).
 */
export function transferRows(table: ColumnTable): ColumnTable {
  const rows = (table.objects() as Record<string, any>[]).filter((r) => r.split === 'test' && r.metric === 'auroc' && !String(r.group).includes('/'));
  if (!rows.length) throw new Error('transferRows: no test macro AUROC rows (run crossPopulation first)');
  return aq.from(rows.map((r) => {
    const train = sourceOf(r.task);
    return {
      model: r.model, train, test: r.group, pair: `${train} → ${r.group}`,
      transfer: train === r.group ? 'in-domain' : 'out-of-domain', seed: r.seed, metric: 'auroc', value: r.value,
    };
  }));
}

/**
 * Fig S4 points: per model, seed and source population, the in-domain macro AUROC (test on the source) against the
 * mean out-of-domain macro AUROC (test on the other populations).
 */
export function domainPoints(table: ColumnTable): Record<string, unknown>[] {
  const rows = transferRows(table).objects() as Record<string, any>[];
  const key = (r: Record<string, any>) => `${r.model}\u0000${r.seed}\u0000${r.train}`;
  const acc = new Map<string, { model: string; seed: number; train: string; inD: number; out: number[] }>();
  for (const r of rows) {
    const k = key(r);
    if (!acc.has(k)) acc.set(k, { model: r.model, seed: r.seed, train: r.train, inD: NaN, out: [] });
    const a = acc.get(k)!;
    if (r.transfer === 'in-domain') a.inD = r.value; else a.out.push(r.value);
  }
  return [...acc.values()].map((a) => ({
    model: a.model, seed: a.seed, train: a.train, in_domain: a.inD,
    out_of_domain: a.out.length ? a.out.reduce((s, v) => s + v, 0) / a.out.length : NaN,
  }));
}

export type TransferSummary = {
  model: string;
  kind: string;
  in_domain: number;
  out_of_domain: number;
  /** in_domain − out_of_domain: what the shift costs (smaller = transfers better). */
  drop: number;
  n: number;
};

/** Per model, means over seeds and source populations of the in-domain and out-of-domain macro AUROC. */
export function transferSummary(table: ColumnTable, encoders: readonly Pick<EncoderKindInfo, 'name' | 'kind'>[]): TransferSummary[] {
  const pts = domainPoints(table);
  const kinds = new Map(encoders.map((e) => [e.name, e.kind]));
  const models = [...new Set(pts.map((p) => p.model as string))];
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  return models.map((m) => {
    const mine = pts.filter((p) => p.model === m);
    const inD = mean(mine.map((p) => p.in_domain as number));
    const out = mean(mine.map((p) => p.out_of_domain as number));
    return { model: m, kind: kinds.get(m) ?? 'unknown', in_domain: inD, out_of_domain: out, drop: inD - out, n: mine.length };
  });
}

/**
 * The paper's claim in words, computed from the numbers: does the best SSL encoder transfer to a new population better
 * than the label-supervised baseline (higher out-of-domain AUROC, and a smaller in → out drop)? Says plainly when an
 * encoder kind is missing or when the answer is no.
 */
export function transferVerdict(summary: readonly TransferSummary[], points?: readonly Record<string, unknown>[]): string {
  const f = (x: number) => x.toFixed(3);
  const ssl = summary.filter((s) => s.kind === 'ssl').sort((a, b) => b.out_of_domain - a.out_of_domain);
  const sup = summary.filter((s) => s.kind === 'supervised').sort((a, b) => b.out_of_domain - a.out_of_domain);
  const lines: string[] = [];
  for (const s of summary) {
    lines.push(`${s.model} (${s.kind}): in-domain ${f(s.in_domain)}, out-of-domain ${f(s.out_of_domain)}, drop ${f(s.drop)} (${s.n} seed × source runs)`);
  }
  if (!ssl.length) lines.push('No SSL checkpoint in this run: the SSL vs supervised comparison cannot be made here.');
  if (!sup.length) lines.push('No label-supervised baseline in this run (checkpoints/supervised-*): the comparison cannot be made here.');
  if (ssl.length && sup.length) {
    const a = ssl[0], b = sup[0];
    const better = a.out_of_domain > b.out_of_domain;
    const smallerDrop = a.drop < b.drop;
    lines.push(`Best SSL encoder ${a.model} vs supervised ${b.model}: out-of-domain AUROC ${f(a.out_of_domain)} vs ${f(b.out_of_domain)} `
      + `(${better ? 'SSL higher' : 'SSL NOT higher'}); in → out drop ${f(a.drop)} vs ${f(b.drop)} (${smallerDrop ? 'SSL smaller' : 'SSL NOT smaller'}).`);
    // the claim is the t-test's over runs (seed × source) on out-of-domain AUROC (lib/stats/verdict), never the means'
    const ood = (m: string) => (points ?? []).filter((p) => p.model === m).map((p) => p.out_of_domain as number).filter(Number.isFinite);
    const xa = ood(a.model), xb = ood(b.model);
    if (!points || xa.length < 2 || xb.length < 2) {
      lines.push('No per-run points (pass domainPoints, ≥ 2 runs each): the means alone do not decide whether SSL transfers better.');
    } else {
      const [v] = verdicts([{ a: a.model, b: b.model, samplesA: xa, samplesB: xb }]);
      lines.push(`Two-sided t-test over runs (${xa.length} vs ${xb.length}) on out-of-domain AUROC: ${v.line}.`);
      lines.push(v.better === a.model
        ? (smallerDrop
          ? 'Here SSL transfers to the new population better than the label-supervised baseline, as in the paper.'
          : 'Here SSL scores significantly higher out of domain, but loses more than the supervised baseline when the population changes: the paper\'s shape holds only in part.')
        : v.better === b.model
          ? 'Here SSL does NOT transfer better than the label-supervised baseline: the supervised baseline is significantly higher out of domain.'
          : 'No significant difference out of domain between SSL and the label-supervised baseline on this run: the paper\'s claim is not shown here.');
    }
  }
  return lines.join('\n');
}

/**
 * Fig 4a's raw-pixel floor: per train → test pair, the macro test AUROC of a ridge probe on the raw pixels at
 * `inputSize` (lib/pretrain probePixels: λ chosen on the source population's val rows, refit on its train + val),
 * fitted on the source population and scored on the target population's test rows, over `labels` — what Fig 4a's
 * heads must beat in domain and out of it. Keys are Fig 4a's pair labels ('popA → popB').
 */
export async function pixelTransferFloor(samples: SampleTable, inputSize: number, labels: readonly string[], pops: readonly string[] = TRANSFER_POPULATIONS): Promise<Record<string, number>> {
  const popCol = samples.table.array('population') as ArrayLike<string>;
  const splitCol = samples.table.array('split') as ArrayLike<string>;
  const out: Record<string, number> = {};
  for (const a of pops) {
    for (const b of [a, ...pops.filter((p) => p !== a)]) {
      // one table per pair: the source's train / val rows and the target's test rows, so probePixels' splits are the pair's
      if (!Array.from(popCol).some((p, i) => p === b && splitCol[i] === 'test')) throw new Error(`pixelTransferFloor: ${samples.dataset} has no test row of population ${b}`);
      const pair: SampleTable = { ...samples, table: samples.table.filter(aq.escape((d: any) => (d.split === 'test' ? d.population === b : d.population === a))) };
      out[`${a} → ${b}`] = (await probePixels(pair, inputSize, { labels })).linearMacroAuroc;
    }
  }
  return out;
}

/** The floors of Fig 4b, by the name drawn in its legend. */
export const LUNG_FLOORS = { wholeImage: 'whole image as lung', background: 'all background' } as const;

/**
 * Fig 4b's floors: the lung Dice of predicting the whole image as lung and of predicting all background (lib/eval
 * constantMaskDice, scored as the heads are), on lungTransfer's test images — the source's test split (in-domain) and
 * every annotated target image (out-of-domain) — as floor rows on Fig 4b's x labels ('in-domain (<source>)').
 * Columns: test, model ('floor: whole image as lung' | 'floor: all background'), value.
 */
export async function lungFloors(source: SampleTable, target: SampleTable): Promise<Record<string, unknown>[]> {
  const lungs = lungMaskSource([source, target]);
  const sourceTest = splitIds(source, 'test');
  const sets = [
    { test: `in-domain (${source.dataset})`, ids: sourceTest },
    { test: `out-of-domain (${target.dataset})`, ids: await idsWithLungMask(target) },
  ];
  const rows: Record<string, unknown>[] = [];
  for (const set of sets) {
    if (!set.ids.length) throw new Error(`lungFloors: no test image for ${set.test}`);
    for (const [name, fill] of [[LUNG_FLOORS.wholeImage, 1], [LUNG_FLOORS.background, 0]] as const) {
      const [value] = await constantMaskDice(lungs, set.ids, fill);
      rows.push({ test: set.test, model: `${FLOOR_PREFIX}${name}`, value });
    }
  }
  return rows;
}

/**
 * Fig S5's encoders: the SSL encoder with the best mean out-of-domain lung Dice (rows of Fig 4b: model, test, value)
 * and, beside it, the random init of its architecture (else the first random init with rows) — the paper showcases its
 * SSL model, and random init is the reference that says what the SSL features add. `random` is undefined when no
 * random init was scored; throws when no SSL encoder was.
 */
export function transferShowcase(rows: ColumnTable | Record<string, unknown>[], encoders: readonly EncoderKindInfo[]): { ssl: string; random?: string } {
  const all = Array.isArray(rows) ? rows : (rows.objects() as Record<string, unknown>[]);
  const out = all.filter((r) => String(r.test).startsWith('out-of-domain'));
  const byName = new Map(encoders.map((e) => [e.name, e]));
  const scored = new Set(out.filter((r) => Number.isFinite(r.value as number)).map((r) => String(r.model)));
  const sslRows = out.filter((r) => byName.get(String(r.model))?.kind === 'ssl');
  if (!sslRows.some((r) => Number.isFinite(r.value as number))) throw new Error(`transferShowcase: no SSL encoder with an out-of-domain Dice (models: ${[...scored].join(', ')})`);
  const ssl = bestModel(sslRows);
  const randoms = encoders.filter((e) => e.kind === 'random' && scored.has(e.name));
  const random = (randoms.find((e) => e.arch !== undefined && e.arch === byName.get(ssl)?.arch) ?? randoms[0])?.name;
  return { ssl, random };
}
