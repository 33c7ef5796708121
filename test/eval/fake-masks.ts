/** Tiny SampleTables with masks given per id, and the two-dataset lung world the lung-transfer tests share. */
import * as aq from 'arquero';
import type { SampleTable } from '../../lib/data/types';

/** A tiny SampleTable with masks given per id (flat grey images of each row's width × height). */
export function fakeTable(dataset: string, rows: Record<string, unknown>[], maskClasses: string[], masks: Record<string, (Uint8Array | null)[]>, extra: Partial<SampleTable> = {}): SampleTable {
  return {
    dataset, table: aq.from(rows), labelNames: [], maskClasses, problems: [],
    loadImage: async (id) => {
      const r = rows.find((x) => x.id === id)!;
      return { width: r.width as number, height: r.height as number, data: new Float32Array((r.width as number) * (r.height as number)).fill(0.5) };
    },
    loadMasks: async (id) => masks[id],
    ...extra,
  };
}

/** 2×2 phantoms with left / right lungs (`syn`) and a real set with one 'lungs' class, one annotated image (`real`). */
export function lungWorld() {
  const L = Uint8Array.from([1, 0, 0, 0]);
  const R = Uint8Array.from([0, 0, 0, 1]);
  const syn = fakeTable('syn', [{ id: 's1', split: 'test', width: 2, height: 2 }], ['body', 'right_lung', 'left_lung'],
    { s1: [Uint8Array.from([1, 1, 1, 1]), R, L] });
  const real = fakeTable('real', [
    { id: 'r1', split: 'train', width: 2, height: 2, has_lung_mask: 1 },
    { id: 'r2', split: 'test', width: 2, height: 2, has_lung_mask: 0 },
  ], ['lungs'], { r1: [Uint8Array.from([1, 1, 0, 0])], r2: [null] });
  return { L, R, syn, real };
}
