/**
 * The paper's adapter hyper-parameter grid (RayDINO, Methods "Evaluation protocol": frozen encoder, a grid of 156 small
 * heads trained simultaneously from one encoder inference, best picked on validation).
 * 13 learning rates (1, 2, 5 per decade from 1e-5, plus 1e-1) × 3 weight decays × {1, 2} layers × {avg, attentive}.
 */
import { GridOptions, gridOptionsSchema, Pooling } from '../../config/grid-options';

export interface GridConfig {
  lr: number;
  wd: number;
  layers: 1 | 2;
  pooling: Pooling;
}

/** 1e-5, 2e-5, 5e-5, …, 5e-2, 1e-1 (13 values). */
export const PAPER_LRS: readonly number[] = [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1];
export const PAPER_WDS: readonly number[] = [0, 1e-5, 1e-4];
export const PAPER_LAYERS: readonly (1 | 2)[] = [1, 2];
export const PAPER_POOLINGS: readonly Pooling[] = ['avg', 'attentive'];

/** All configs of the grid (the paper's 156 by default; any subset via options), ordered pooling → layers → lr → wd. */
export function gridConfigs(opts: GridOptions = {}): GridConfig[] {
  const o = gridOptionsSchema.parse(opts);
  const out: GridConfig[] = [];
  for (const pooling of o.poolings ?? PAPER_POOLINGS) {
    for (const layers of o.layers ?? PAPER_LAYERS) {
      for (const lr of o.lrs ?? PAPER_LRS) {
        for (const wd of o.wds ?? PAPER_WDS) out.push({ lr, wd, layers, pooling });
      }
    }
  }
  return out;
}

/** Stable readable name, e.g. `avg-mlp-lr5e-4-wd1e-5`. */
export function configName(c: GridConfig): string {
  const e = (x: number) => (x === 0 ? '0' : x.toExponential().replace('.0e', 'e').replace('e+', 'e').replace(/(\.\d*?)0+e/, '$1e'));
  return `${c.pooling}-${c.layers === 1 ? 'linear' : 'mlp'}-lr${e(c.lr)}-wd${e(c.wd)}`;
}

/** Cosine decay from 1 to 0 over `total` steps (SGDR without restarts, Loshchilov & Hutter 2017), as a factor on lr. */
export function cosineFactor(step: number, total: number): number {
  if (total <= 1) return 1;
  return 0.5 * (1 + Math.cos((Math.PI * step) / total));
}
