/**
 * A "family" holds G heads of one architecture (same pooling, same depth) side by side as wide 2-D weights, so one matrix
 * product serves every head (./linalg: ONNX Runtime Gemm by default). Heads differ only in learning rate and weight
 * decay, which AdamW applies per head (./adamw). Gradients are explicit; elementwise work is fused Float32Array loops.
 *
 * Layouts: column-blocked parameters [rows, G·k] put head g in columns g·k … g·k+k−1 (k = C classes or h hidden units);
 * row-blocked ones (second-layer MLP weights) are stored compactly [G·h, C] with head g in rows g·h … g·h+h−1 and
 * expanded to a block-diagonal [G·h, G·C] matrix for the product, so heads never mix.
 */
import { adamwStep } from './adam-step';
import type { GridConfig } from './config';
import type { LinAlg } from './linalg';
import type { HeadLoss } from './losses';
import type { Rng } from '../../engine/rng';

/** One mini-batch as the families read it; built once per step and shared by all families. */
export interface FamilyBatch {
  b: number;
  /** Average-pooled features [B, Din] (avg families). */
  x?: Float32Array;
  din?: number;
  /** Patch tokens [B·T, D] (attentive families). */
  tokens?: Float32Array;
  t?: number;
  d?: number;
}

export interface ParamSpec {
  shape: [number, number];
  /** Column-blocked: columns per head. */
  headCols?: number;
  /** Row-blocked: rows per head. */
  headRows?: number;
  /** Initial values: uniform ±bound, or zeros. */
  init: { uniform: number } | 'zeros';
}

export type Cache = Record<string, Float32Array>;

export abstract class WideFamily {
  readonly g: number;
  params: Record<string, Float32Array> = {};
  protected m: Record<string, Float32Array> = {};
  protected v: Record<string, Float32Array> = {};
  protected specs: Record<string, ParamSpec> = {};
  /** AdamW steps taken. */
  steps = 0;
  /** Reused work buffers by name (no per-step allocation of multi-MB arrays). */
  private scratch = new Map<string, Float32Array>();

  constructor(readonly configs: GridConfig[], readonly classes: number, readonly hidden: number) {
    if (configs.length === 0) throw new Error('WideFamily: no configs');
    this.g = configs.length;
  }

  /**
   * Adds a parameter initialised head by head from each head's own random stream (`rngs[g]`), so a head's initial
   * weights do not depend on which other heads share its family (or its worker).
   */
  protected addParam(name: string, spec: ParamSpec, rngs: Rng[]): void {
    const [rows, cols] = spec.shape;
    const n = rows * cols;
    const data = new Float32Array(n);
    if (spec.init !== 'zeros') {
      const bound = spec.init.uniform;
      for (let g = 0; g < this.g; g++) {
        const rng = rngs[g];
        if (spec.headCols !== undefined) {
          const k = spec.headCols;
          for (let r = 0; r < rows; r++) for (let j = g * k; j < (g + 1) * k; j++) data[r * cols + j] = rng.range(-bound, bound);
        } else {
          const h = spec.headRows as number;
          for (let i = g * h * cols; i < (g + 1) * h * cols; i++) data[i] = rng.range(-bound, bound);
        }
      }
    }
    this.specs[name] = spec;
    this.params[name] = data;
    this.m[name] = new Float32Array(n);
    this.v[name] = new Float32Array(n);
  }

  /** A work buffer of `size` floats, reused across steps under `name` (contents are not cleared). */
  protected buf(name: string, size: number): Float32Array {
    let b = this.scratch.get(name);
    if (!b || b.length !== size) { b = new Float32Array(size); this.scratch.set(name, b); }
    return b;
  }

  /** Forward pass: logits [B, G·C] and whatever backward needs. */
  abstract forward(batch: FamilyBatch, la: LinAlg): Promise<{ logits: Float32Array; cache: Cache }>;
  /** Gradients of every parameter from d loss / d logits. */
  abstract backward(batch: FamilyBatch, cache: Cache, dlogits: Float32Array, la: LinAlg): Promise<Record<string, Float32Array>>;

  /**
   * One training step of all G heads on a batch: `lossFn` maps logits to per-head losses and their gradient; `factor`
   * scales every head's lr (the cosine schedule). Returns the loss of each head [G] (before the update).
   */
  async step(batch: FamilyBatch, lossFn: (logits: Float32Array) => HeadLoss, factor: number, la: LinAlg): Promise<Float64Array> {
    const { logits, cache } = await this.forward(batch, la);
    const { loss, dlogits } = lossFn(logits);
    const grads = await this.backward(batch, cache, dlogits, la);
    const t = ++this.steps;
    const lr = Float64Array.from(this.configs, (c) => c.lr * factor);
    const wd = Float64Array.from(this.configs, (c) => c.wd);
    for (const name of Object.keys(this.params)) {
      const s = this.specs[name];
      adamwStep(this.params[name], grads[name], this.m[name], this.v[name], t, lr, wd,
        s.headCols !== undefined ? { cols: s.shape[1], headCols: s.headCols } : { cols: s.shape[1], headRows: s.headRows });
    }
    return loss;
  }

  getParams(): Record<string, Float32Array> {
    return Object.fromEntries(Object.entries(this.params).map(([k, v]) => [k, Float32Array.from(v)]));
  }

  setParams(values: Record<string, Float32Array>): void {
    for (const [name, data] of Object.entries(values)) {
      const spec = this.specs[name];
      if (!spec) throw new Error(`setParams: unknown parameter ${name} (have ${Object.keys(this.specs).join(', ')})`);
      if (data.length !== spec.shape[0] * spec.shape[1]) throw new Error(`setParams: ${name} needs ${spec.shape.join('×')} values, got ${data.length}`);
      this.params[name] = Float32Array.from(data);
    }
  }

  /** Compact row-blocked [G·h, C] → block-diagonal [G·h, G·C]. */
  protected blockDiag(w: Float32Array): Float32Array {
    const { g, hidden: h, classes: c } = this;
    const out = this.buf('blockdiag', g * h * g * c); // off-block entries are never written: they stay 0
    for (let k = 0; k < g; k++) {
      for (let i = 0; i < h; i++) {
        const r = k * h + i;
        out.set(w.subarray(r * c, (r + 1) * c), r * g * c + k * c);
      }
    }
    return out;
  }

  /** Block-diagonal gradient [G·h, G·C] → compact [G·h, C] (off-block entries are cross-head terms: dropped). */
  protected compact(full: Float32Array): Float32Array {
    const { g, hidden: h, classes: c } = this;
    const out = this.buf('compact', g * h * c);
    for (let k = 0; k < g; k++) {
      for (let i = 0; i < h; i++) {
        const r = k * h + i;
        out.set(full.subarray(r * g * c + k * c, r * g * c + (k + 1) * c), r * c);
      }
    }
    return out;
  }
}

/** x[r, :] += bias for every row (in place). */
export function addRowVector(x: Float32Array, bias: Float32Array): Float32Array {
  const cols = bias.length;
  for (let i = 0; i < x.length; i += cols) for (let j = 0; j < cols; j++) x[i + j] += bias[j];
  return x;
}

/** Column sums of [rows, cols] → [1, cols]. */
export function colSum(x: Float32Array, cols: number): Float32Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < x.length; i += cols) for (let j = 0; j < cols; j++) out[j] += x[i + j];
  return Float32Array.from(out);
}
