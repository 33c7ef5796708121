/**
 * The environment figure (notebook 00): matmul throughput per size beside worker scaling (same total work on 1 vs 2
 * worker threads). A figure is a function (rows, opts) → vega-lite spec; saving is lib/report's job.
 */
import type { TopLevelSpec } from 'vega-lite';
import { FONT_FAMILY } from '../report/fonts';
import { CATEGORY_COLORS } from './colormap';

export interface EngineBenchFigureOptions { title?: string; width?: number; height?: number }

export const engineBenchDefaults: Required<EngineBenchFigureOptions> = { title: 'Engine throughput on this machine', width: 220, height: 160 };

function positive(name: string, v: number): number {
  if (!(Number.isFinite(v) && v > 0)) throw new Error(`invalid ${name}: ${v}`);
  return v;
}

/**
 * @param matmul rows `{ size, gflops }` (from benchMatmul)
 * @param scaling rows `{ workers, seconds, speedup }` (from benchWorkerScaling)
 */
export function engineBenchFigure(
  matmul: { size: number; gflops: number; backend?: string }[],
  scaling: { workers: number; seconds: number; speedup: number }[],
  opts: EngineBenchFigureOptions = {},
): TopLevelSpec {
  const o = { ...engineBenchDefaults, ...opts };
  positive('width', o.width); positive('height', o.height);
  if (!matmul.length) throw new Error('engineBenchFigure: no matmul rows');
  if (!scaling.length) throw new Error('engineBenchFigure: no scaling rows');
  matmul.forEach((r, i) => positive(`matmul[${i}].gflops`, r.gflops));
  scaling.forEach((r, i) => positive(`scaling[${i}].seconds`, r.seconds));
  const backend = matmul[0].backend ?? 'tfjs';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    config: { font: FONT_FAMILY, view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 } },
    hconcat: [
      {
        title: `${backend} matmul (n×n · n×n)`,
        width: o.width, height: o.height,
        data: { values: matmul.map((r) => ({ size: `${r.size}`, gflops: r.gflops })) },
        layer: [
          { mark: { type: 'bar', color: CATEGORY_COLORS[0] }, encoding: { x: { field: 'size', type: 'ordinal', sort: null, title: 'n' }, y: { field: 'gflops', type: 'quantitative', title: 'GFLOP/s' } } },
          { mark: { type: 'text', dy: -6 }, encoding: { x: { field: 'size', type: 'ordinal', sort: null }, y: { field: 'gflops', type: 'quantitative' }, text: { field: 'gflops', type: 'quantitative', format: '.1f' } } },
        ],
      },
      {
        title: 'Same work on worker threads',
        width: o.width, height: o.height,
        data: { values: scaling.map((r) => ({ workers: `${r.workers}`, seconds: r.seconds, label: `${r.speedup.toFixed(2)}×` })) },
        layer: [
          { mark: { type: 'bar', color: CATEGORY_COLORS[1] }, encoding: { x: { field: 'workers', type: 'ordinal', sort: null, title: 'workers' }, y: { field: 'seconds', type: 'quantitative', title: 'seconds (lower is better)' } } },
          { mark: { type: 'text', dy: -6 }, encoding: { x: { field: 'workers', type: 'ordinal', sort: null }, y: { field: 'seconds', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } } },
        ],
      },
    ],
  };
}
