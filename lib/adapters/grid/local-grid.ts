/**
 * The heads of a HeadGrid that one thread trains: its configs grouped into families (./avg-family, ./attentive-family),
 * one matrix-product engine (./linalg), and the per-step loop (batch gather → every family's step). HeadGrid runs one
 * LocalGrid in-process, or one per worker thread (./worker) with the configs split between them.
 */
import { createRng } from '../../engine/rng';
import { AttentiveFamily } from './attentive-family';
import { AvgFamily } from './avg-family';
import { avgPoolFeatures } from '../../features/pooling';
import { cosineFactor, GridConfig } from './config';
import { createLinAlg, LinAlg, LinAlgEngine } from './linalg';
import { maskedBceHeads } from '../../engine/masked-bce';
import { crossEntropy } from './losses';
import type { FamilyBatch, WideFamily } from './wide-family';
import type { FeatureSet } from '../../features/feature-set';

/** The features a grid reads (a FeatureSet or anything shaped like its arrays). */
export type GridFeatures = Pick<FeatureSet, 'n' | 'dim' | 'cls' | 'patches' | 'gridH' | 'gridW'>;

export interface LocalGridSpec {
  dim: number;
  tokens: number;
  classes: number;
  task: 'multilabel' | 'multiclass';
  hidden: number;
  seed: number;
  engine: LinAlgEngine;
  threads: number;
  batchSize: number;
  /** Attentive heads score position-centred tokens (./attentive-family). */
  centreKeys?: boolean;
}

/** Features made ready for the grid: the avg-pool input computed once. */
export interface Prepared {
  x: GridFeatures;
  pooled: Float32Array;
}

interface Slot {
  family: WideFamily;
  /** Global config index of each of the family's heads. */
  index: number[];
  dl?: Float32Array;
}

export class LocalGrid {
  private slots: Slot[] = [];
  private la?: Promise<LinAlg>;

  /** `configs[i]` has global index `index[i]` (its random streams are keyed by it). */
  constructor(readonly spec: LocalGridSpec, configs: GridConfig[], readonly index: number[]) {
    const root = createRng(spec.seed).fork('init');
    const groups = new Map<string, number[]>();
    configs.forEach((c, i) => {
      const k = `${c.pooling}/${c.layers}`;
      groups.set(k, [...(groups.get(k) ?? []), i]);
    });
    for (const [k, local] of groups) {
      const [pooling, layers] = [k.split('/')[0], Number(k.split('/')[1]) as 1 | 2];
      const cfgs = local.map((i) => configs[i]);
      const rngs = local.map((i) => root.fork(index[i]));
      const family = pooling === 'avg'
        ? new AvgFamily(cfgs, spec.tokens > 0 ? 2 * spec.dim : spec.dim, spec.classes, layers, spec.hidden, rngs)
        : new AttentiveFamily(cfgs, spec.dim, spec.classes, layers, spec.hidden, rngs, { centreKeys: spec.centreKeys });
      this.slots.push({ family, index: local.map((i) => index[i]) });
    }
  }

  private linalg(): Promise<LinAlg> {
    this.la ??= createLinAlg(this.spec.engine, this.spec.threads);
    return this.la;
  }

  prepare(x: GridFeatures): Prepared {
    const t = this.spec.tokens;
    return { x, pooled: avgPoolFeatures(x.cls, x.n, x.dim, t > 0 ? x.patches : undefined, t || undefined) };
  }

  /** Gathers the batch arrays for rows `rows` (plain arrays: ONNX Runtime rejects shared buffers). */
  private batch(p: Prepared, rows: ArrayLike<number>): FamilyBatch {
    const b = rows.length;
    const din = p.pooled.length / p.x.n;
    const out: FamilyBatch = { b };
    if (this.slots.some((s) => s.family instanceof AvgFamily)) {
      const buf = new Float32Array(b * din);
      for (let i = 0; i < b; i++) buf.set(p.pooled.subarray(rows[i] * din, (rows[i] + 1) * din), i * din);
      out.x = buf; out.din = din;
    }
    if (this.slots.some((s) => s.family instanceof AttentiveFamily) && p.x.patches) {
      const t = this.spec.tokens;
      const d = p.x.dim;
      const buf = new Float32Array(b * t * d);
      for (let i = 0; i < b; i++) buf.set(p.x.patches.subarray(rows[i] * t * d, (rows[i] + 1) * t * d), i * t * d);
      out.tokens = buf; out.t = t; out.d = d;
    }
    return out;
  }

  /**
   * One epoch: `perm` orders the samples; steps `stepStart … stepStart + perEpoch − 1` of `total` set the cosine factor.
   * Returns the mean training loss of each of this grid's configs, keyed by global index.
   */
  async trainEpoch(p: Prepared, labels: Float32Array | Int32Array, perm: Int32Array, bs: number, stepStart: number, total: number): Promise<Map<number, number>> {
    const la = await this.linalg();
    const c = this.spec.classes;
    const width = this.spec.task === 'multilabel' ? c : 1;
    const perEpoch = Math.max(1, Math.floor(p.x.n / bs));
    const sums = new Map<number, number>();
    for (let s = 0; s < perEpoch; s++) {
      const rows = perm.subarray(s * bs, (s + 1) * bs);
      const batch = this.batch(p, rows);
      const yb = labels instanceof Int32Array ? new Int32Array(rows.length * width) : new Float32Array(rows.length * width);
      for (let i = 0; i < rows.length; i++) yb.set(labels.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
      const factor = cosineFactor(stepStart + s, total);
      for (const slot of this.slots) {
        const g = slot.family.g;
        const lossFn = this.spec.task === 'multilabel'
          ? (z: Float32Array) => maskedBceHeads(z, yb, rows.length, g, c, (slot.dl ??= new Float32Array(rows.length * g * c)))
          : (z: Float32Array) => crossEntropy(z, yb, rows.length, g, c);
        const loss = await slot.family.step(batch, lossFn, factor, la);
        slot.index.forEach((gi, k) => sums.set(gi, (sums.get(gi) ?? 0) + loss[k] / perEpoch));
      }
    }
    return sums;
  }

  /** Scores [N, C] (sigmoid / softmax) of this grid's configs in `only` (all when undefined), keyed by global index. */
  async predict(p: Prepared, only?: number[]): Promise<Map<number, Float32Array>> {
    const la = await this.linalg();
    const c = this.spec.classes;
    const n = p.x.n;
    const want = (gi: number) => !only || only.includes(gi);
    const out = new Map<number, Float32Array>();
    for (const s of this.slots) for (const gi of s.index) if (want(gi)) out.set(gi, new Float32Array(n * c));
    const bs = Math.max(this.spec.batchSize, 1);
    for (let start = 0; start < n; start += bs) {
      const rows = Int32Array.from({ length: Math.min(bs, n - start) }, (_, i) => start + i);
      const batch = this.batch(p, rows);
      for (const slot of this.slots) {
        if (!slot.index.some(want)) continue;
        const { logits } = await slot.family.forward(batch, la);
        const g = slot.family.g;
        slot.index.forEach((gi, k) => {
          const dstArr = out.get(gi);
          if (!dstArr) return;
          for (let i = 0; i < rows.length; i++) {
            const src = i * g * c + k * c;
            const dst = (start + i) * c;
            if (this.spec.task === 'multilabel') {
              for (let j = 0; j < c; j++) dstArr[dst + j] = 1 / (1 + Math.exp(-logits[src + j]));
            } else {
              let m = -Infinity;
              for (let j = 0; j < c; j++) m = Math.max(m, logits[src + j]);
              let z = 0;
              for (let j = 0; j < c; j++) z += Math.exp(logits[src + j] - m);
              for (let j = 0; j < c; j++) dstArr[dst + j] = Math.exp(logits[src + j] - m) / z;
            }
          }
        });
      }
    }
    return out;
  }

  /** Attention [N, C, T] of the attentive config with global index `gi`, or undefined when this grid does not hold it. */
  async attention(p: Prepared, gi: number): Promise<Float32Array | undefined> {
    const slot = this.slots.find((s) => s.index.includes(gi) && s.family instanceof AttentiveFamily);
    if (!slot) return undefined;
    const la = await this.linalg();
    const k = slot.index.indexOf(gi);
    const c = this.spec.classes, t = this.spec.tokens, n = p.x.n;
    const q = slot.family.g * c;
    const out = new Float32Array(n * c * t);
    const bs = Math.max(this.spec.batchSize, 1);
    for (let start = 0; start < n; start += bs) {
      const rows = Int32Array.from({ length: Math.min(bs, n - start) }, (_, i) => start + i);
      const { cache } = await slot.family.forward(this.batch(p, rows), la);
      const a = cache.a; // [b, T, Q]
      for (let i = 0; i < rows.length; i++) {
        for (let j = 0; j < c; j++) {
          for (let tt = 0; tt < t; tt++) out[((start + i) * c + j) * t + tt] = a[(i * t + tt) * q + k * c + j];
        }
      }
    }
    return out;
  }

  async dispose(): Promise<void> {
    const la = this.la;
    this.la = undefined;
    this.slots = [];
    if (la) await (await la).release();
  }
}
