/**
 * `raydino bench` sections. Each area contributes one function `bench<Area>(opts: { quick }) → Record<string, number | string>`;
 * adding one is one line in `benchSections` below.
 */
import { benchEngine } from './engine';
import { initBackend } from '../engine/backend';

export type BenchResult = Record<string, number | string>;
export type BenchFn = (opts: { quick: boolean }) => Promise<BenchResult>;

/** Loads a section's module only when it runs, so one area's load error cannot break the others' benchmarks. */
function lazy(load: () => Promise<BenchFn>): BenchFn {
  return async (opts) => (await load())(opts);
}

/** Registered sections, run in this order. Add yours: `stats: lazy(() => import('../stats/bench').then((m) => m.benchStats)),`. */
export const benchSections: Record<string, BenchFn> = {
  engine: benchEngine,
  stats: lazy(() => import('./stats').then((m) => m.benchStats)),
  data: lazy(() => import('./data').then((m) => m.benchData)),
  synthetic: lazy(() => import('./synthetic').then((m) => m.benchSynthetic)),
  vit: lazy(() => import('./vit').then((m) => m.benchVit)),
  pretrain: lazy(() => import('./pretrain').then((m) => m.benchPretrain)),
  headgrid: lazy(() => import('./headgrid').then((m) => m.benchHeadgrid)),
  segmentation: lazy(() => import('./segmentation').then((m) => m.benchSegmentation)),
  report: lazy(() => import('./report').then((m) => m.benchReport)),
};

/** Runs the chosen sections (default all) in registry order; an unknown name throws listing the known ones. */
export async function runBench(opts: { only?: string[]; quick: boolean; onSection?(name: string, r: BenchResult): void }): Promise<Record<string, BenchResult>> {
  const names = Object.keys(benchSections);
  const unknown = (opts.only ?? []).filter((n) => !names.includes(n));
  if (unknown.length) throw new Error(`unknown bench section(s): ${unknown.join(', ')} (have ${names.join(', ')})`);
  const chosen = opts.only?.length ? names.filter((n) => opts.only!.includes(n)) : names;
  // Sections may touch tfjs (tfjs-engine baselines, tensors in helpers); a section run alone must not find an empty registry.
  await initBackend();
  const out: Record<string, BenchResult> = {};
  for (const name of chosen) {
    out[name] = await benchSections[name]({ quick: opts.quick });
    opts.onSection?.(name, out[name]);
  }
  return out;
}

export { benchEngine, benchMatmul, benchWorkerScaling, matmulFlops } from './engine';
export type { MatmulRow, ScalingRow } from './engine';
