/**
 * Worker side of a multi-threaded HeadGrid: each worker of the pool owns one LocalGrid (its share of the configs) and
 * answers broadcasts; features arrive once per data set in SharedArrayBuffers (no copy), results go back transferred.
 */
import { withTransfer, type WorkerContext } from '../../engine/worker-protocol';
import type { GridConfig } from './config';
import { GridFeatures, LocalGrid, LocalGridSpec, Prepared } from './local-grid';

export type GridMessage =
  | { op: 'init'; spec: LocalGridSpec; parts: { configs: GridConfig[]; index: number[] }[] }
  | { op: 'data'; id: number; x: GridFeatures }
  | { op: 'drop'; id: number }
  | { op: 'epoch'; id: number; labels: Float32Array | Int32Array; perm: Int32Array; bs: number; stepStart: number; total: number }
  | { op: 'predict'; id: number; only?: number[] }
  | { op: 'attention'; id: number; config: number }
  | { op: 'dispose' };

let grid: LocalGrid | undefined;
const data = new Map<number, Prepared>();

function need(): LocalGrid {
  if (!grid) throw new Error('grid worker: no grid (init first)');
  return grid;
}

export async function onBroadcast(msg: GridMessage, ctx: WorkerContext): Promise<unknown> {
  switch (msg.op) {
    case 'init': {
      const part = msg.parts[ctx.index];
      grid = part.configs.length ? new LocalGrid(msg.spec, part.configs, part.index) : undefined;
      return null;
    }
    case 'data':
      if (grid) data.set(msg.id, grid.prepare(msg.x));
      return null;
    case 'drop':
      data.delete(msg.id);
      return null;
    case 'epoch': {
      if (!grid) return [];
      const sums = await grid.trainEpoch(data.get(msg.id) as Prepared, msg.labels, msg.perm, msg.bs, msg.stepStart, msg.total);
      return [...sums];
    }
    case 'predict': {
      if (!grid) return [];
      const scores = [...(await need().predict(data.get(msg.id) as Prepared, msg.only))];
      return withTransfer(scores, scores.map(([, s]) => s.buffer as ArrayBuffer));
    }
    case 'attention': {
      const a = grid ? await grid.attention(data.get(msg.id) as Prepared, msg.config) : undefined;
      return a ? withTransfer(a, [a.buffer as ArrayBuffer]) : null;
    }
    case 'dispose':
      data.clear();
      if (grid) await grid.dispose();
      grid = undefined;
      return null;
  }
}

export function handle(msg: GridMessage, ctx: WorkerContext): Promise<unknown> {
  return onBroadcast(msg, ctx);
}
