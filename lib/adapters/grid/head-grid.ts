/**
 * HeadGrid: the paper's grid of adapter configs (156 by default, ./config) trained TOGETHER on frozen features —
 * every mini-batch is read once and serves all heads; heads of one architecture are one wide 2-D matrix product
 * (./wide-family). AdamW per head, cosine learning-rate decay over a fixed number of epochs, seeded shuffling and init
 * (each head's init comes from its own stream keyed by its index, so results do not depend on how heads are grouped).
 * Matrix products run on ONNX Runtime (engine 'ort', default) or tfjs ('tfjs'), see ./linalg. With `workers: 2` the
 * configs are split between two worker threads (./worker), each running its share of every step — ONNX Runtime
 * runs synchronously on its calling thread, so one thread would leave the second core idle during the JS loops.
 *
 * @example
 * const grid = new HeadGrid({ dim: 384, tokens: 196, classes: 14, task: 'multilabel', epochs: 10, seed: 0 });
 * await grid.fit(trainFeatures, trainLabels);
 * const scores = await grid.predict(valFeatures);    // one [N, C] score array per config
 * await grid.dispose();
 */
import * as path from 'path';
import { z } from 'zod';
import { createRng } from '../../engine/rng';
import { defaultPoolSize, WorkerPool } from '../../engine/worker-pool';
import { gridOptionsSchema } from '../../config/grid-options';
import { configName, GridConfig, gridConfigs } from './config';
import type { GridMessage } from './worker';
import { GridFeatures, LocalGrid, LocalGridSpec, Prepared } from './local-grid';

export type { GridFeatures } from './local-grid';
export type GridTask = 'multilabel' | 'multiclass';

export const headGridOptionsSchema = z.object({
  dim: z.number().int().positive(),
  /** Patch tokens per sample (gridH·gridW); 0 = no patches (CLS-only avg pooling, no attentive heads). */
  tokens: z.number().int().nonnegative(),
  classes: z.number().int().positive(),
  task: z.enum(['multilabel', 'multiclass']),
  /** Subset of the paper grid (default: all 156 configs). */
  grid: gridOptionsSchema.default({}),
  /** Explicit config list, overrides `grid`. */
  configs: z.array(z.object({ lr: z.number().positive(), wd: z.number().nonnegative(), layers: z.union([z.literal(1), z.literal(2)]), pooling: z.enum(['avg', 'attentive']) })).optional(),
  epochs: z.number().int().positive().default(10),
  batchSize: z.number().int().positive().default(256),
  /** Hidden width of the 2-layer heads. */
  hidden: z.number().int().positive().default(64),
  seed: z.number().int().default(0),
  /** Matrix-product engine: ONNX Runtime Gemm (fast, default) or tfjs. */
  engine: z.enum(['ort', 'tfjs']).default('ort'),
  /**
   * Worker threads sharing the configs: 1 = train in this thread; 'auto' (default) = 2 on a machine with ≥ 2 cores when
   * the training set is big enough to repay starting them (n · configs · D · max(T, 1) ≥ 5·10⁸), else 1.
   */
  workers: z.union([z.number().int().min(1).max(16), z.literal('auto')]).default('auto'),
  /** Attentive heads score position-centred tokens x_t − μ_t (./attentive-family; default false, the paper's probe). */
  centreKeys: z.boolean().default(false),
  /** ONNX Runtime intra-op threads per grid thread (default 2 with one worker thread, else 1). */
  threads: z.number().int().positive().optional(),
});
export type HeadGridOptions = z.input<typeof headGridOptionsSchema>;
type Resolved = z.output<typeof headGridOptionsSchema>;

export class HeadGrid {
  readonly opts: Resolved;
  readonly configs: GridConfig[];
  /** Mean training loss per epoch per config [epochs][G]. */
  readonly history: Float32Array[] = [];
  private local?: LocalGrid;
  private pool?: WorkerPool;
  private poolReady?: Promise<unknown>;
  private dataIds = new WeakMap<GridFeatures, number>();
  private prepared = new WeakMap<GridFeatures, Prepared>();
  private nextId = 0;
  private spec: LocalGridSpec;
  private threadCount = 1;

  constructor(options: HeadGridOptions) {
    this.opts = headGridOptionsSchema.parse(options);
    const o = this.opts;
    this.configs = o.configs ?? gridConfigs(o.grid);
    if (this.configs.length === 0) throw new Error('HeadGrid: no configs');
    if (o.tokens === 0 && this.configs.some((c) => c.pooling === 'attentive')) {
      throw new Error('HeadGrid: attentive configs need patch tokens (tokens = 0); extract features with patches or pass grid.poolings: ["avg"]');
    }
    this.spec = {
      dim: o.dim, tokens: o.tokens, classes: o.classes, task: o.task, hidden: o.hidden, seed: o.seed, engine: o.engine,
      threads: o.threads ?? Math.min(2, defaultPoolSize()), batchSize: o.batchSize, centreKeys: o.centreKeys,
    };
    if (typeof o.workers === 'number') this.start(o.workers);
  }

  /** Worker count for 'auto' given the first features seen. */
  private autoWorkers(x: GridFeatures): number {
    const cores = defaultPoolSize();
    const work = x.n * this.configs.length * x.dim * Math.max(this.opts.tokens, 1);
    return cores >= 2 && work >= 5e8 ? 2 : 1;
  }

  /** Builds the in-thread grid (1) or the worker pool (> 1). */
  private start(workers: number): void {
    const o = this.opts;
    this.threadCount = workers;
    const all = this.configs.map((_, i) => i);
    if (workers === 1) {
      this.local = new LocalGrid(this.spec, this.configs, all);
      return;
    }
    const spec: LocalGridSpec = { ...this.spec, threads: o.threads ?? 1 };
    // deal every family's configs round-robin over the workers, so each holds about 1/W of every architecture
    const parts = Array.from({ length: workers }, () => ({ configs: [] as GridConfig[], index: [] as number[] }));
    const byFamily = new Map<string, number[]>();
    all.forEach((i) => {
      const k = `${this.configs[i].pooling}/${this.configs[i].layers}`;
      byFamily.set(k, [...(byFamily.get(k) ?? []), i]);
    });
    let w = 0;
    for (const idx of byFamily.values()) for (const i of idx) { parts[w].configs.push(this.configs[i]); parts[w].index.push(i); w = (w + 1) % workers; }
    const ext = path.extname(__filename);
    this.pool = new WorkerPool({ module: path.join(__dirname, `worker${ext}`), size: workers, backend: o.engine === 'tfjs' ? 'wasm' : false });
    this.poolReady = this.broadcast({ op: 'init', spec, parts });
  }

  /** Threads training this grid (1 until the first fit / predict decides for 'auto'). */
  get workers(): number {
    return this.threadCount;
  }

  get names(): string[] {
    return this.configs.map(configName);
  }

  private async broadcast<T>(msg: GridMessage): Promise<T[]> {
    if (this.poolReady && msg.op !== 'init') await this.poolReady;
    return (this.pool as WorkerPool).broadcast<T>(msg);
  }

  private check(x: GridFeatures, what: string): void {
    const t = x.gridH * x.gridW;
    if (x.dim !== this.opts.dim) throw new Error(`HeadGrid: ${what} features have dim ${x.dim}, grid was built for ${this.opts.dim}`);
    if (this.opts.tokens > 0 && (!x.patches || t !== this.opts.tokens)) {
      throw new Error(`HeadGrid: ${what} features need patch tokens (${this.opts.tokens} per sample), got ${x.patches ? t : 'none'}`);
    }
  }

  /** Local: the prepared features. Workers: sends the arrays once (in SharedArrayBuffers) and returns their id. */
  private async use(x: GridFeatures): Promise<{ id: number; prepared?: Prepared }> {
    if (!this.local && !this.pool) this.start(this.autoWorkers(x));
    if (this.local) {
      let p = this.prepared.get(x);
      if (!p) { p = this.local.prepare(x); this.prepared.set(x, p); }
      return { id: -1, prepared: p };
    }
    let id = this.dataIds.get(x);
    if (id === undefined) {
      id = this.nextId++;
      const share = (a: Float32Array) => { const s = new Float32Array(new SharedArrayBuffer(a.length * 4)); s.set(a); return s; };
      const sx: GridFeatures = { n: x.n, dim: x.dim, gridH: x.gridH, gridW: x.gridW, cls: share(x.cls), patches: x.patches && this.opts.tokens > 0 ? share(x.patches) : undefined };
      await this.broadcast({ op: 'data', id, x: sx });
      this.dataIds.set(x, id);
    }
    return { id };
  }

  /**
   * Trains every head for `epochs` epochs. `labels`: [N, C] 1/0/NaN (multilabel) or class indices [N] (multiclass).
   * Returns the mean loss per epoch per config.
   */
  async fit(x: GridFeatures, labels: Float32Array | Int32Array, opts: { onEpoch?: (epoch: number, loss: Float32Array) => void } = {}): Promise<Float32Array[]> {
    const o = this.opts;
    this.check(x, 'training');
    const c = o.classes;
    if (o.task === 'multilabel' && labels.length !== x.n * c) throw new Error(`HeadGrid.fit: ${labels.length} labels for ${x.n} samples × ${c} classes`);
    if (o.task === 'multiclass' && labels.length !== x.n) throw new Error(`HeadGrid.fit: ${labels.length} class indices for ${x.n} samples`);
    const bs = Math.min(o.batchSize, x.n);
    // drop the last incomplete batch (as torch drop_last=True) unless it is the only one
    const perEpoch = Math.max(1, Math.floor(x.n / bs));
    const total = perEpoch * o.epochs;
    const rng = createRng(o.seed).fork('shuffle');
    const data = await this.use(x);
    for (let e = 0; e < o.epochs; e++) {
      const perm = rng.permutation(x.n);
      const parts = this.local
        ? [[...(await this.local.trainEpoch(data.prepared as Prepared, labels, perm, bs, e * perEpoch, total))]]
        : await this.broadcast<[number, number][]>({ op: 'epoch', id: data.id, labels, perm, bs, stepStart: e * perEpoch, total });
      const sum = new Float32Array(this.configs.length);
      for (const part of parts) for (const [gi, v] of part) sum[gi] = v;
      this.history.push(sum);
      opts.onEpoch?.(e, sum);
    }
    return this.history;
  }

  /**
   * Scores of every config (or of `only`): one [N, C] array per config, sigmoid (multilabel) or softmax (multiclass)
   * of the logits; entries of configs not in `only` are empty arrays.
   */
  async predict(x: GridFeatures, only?: number[]): Promise<Float32Array[]> {
    this.check(x, 'prediction');
    const data = await this.use(x);
    const parts = this.local
      ? [[...(await this.local.predict(data.prepared as Prepared, only))]]
      : await this.broadcast<[number, Float32Array][]>({ op: 'predict', id: data.id, only });
    const out: Float32Array[] = this.configs.map(() => new Float32Array(0));
    for (const part of parts) for (const [gi, s] of part) out[gi] = s;
    return out;
  }

  /** Attention maps [N, C, T] of attentive config `config` (index into `configs`): softmax weights over patch tokens. */
  async attention(x: GridFeatures, config: number): Promise<Float32Array> {
    const cfg = this.configs[config];
    if (!cfg) throw new Error(`HeadGrid.attention: no config ${config}`);
    if (cfg.pooling !== 'attentive') throw new Error(`HeadGrid.attention: config ${configName(cfg)} has no attention (avg pooling)`);
    this.check(x, 'attention');
    const data = await this.use(x);
    const a = this.local
      ? await this.local.attention(data.prepared as Prepared, config)
      : (await this.broadcast<Float32Array | null>({ op: 'attention', id: data.id, config })).find((v) => v);
    return a as Float32Array;
  }

  /** Releases the ONNX Runtime sessions and worker threads (the weights are plain arrays). */
  async dispose(): Promise<void> {
    if (this.local) await this.local.dispose();
    if (this.pool) {
      await this.broadcast({ op: 'dispose' });
      await this.pool.close();
    }
    this.local = undefined;
    this.pool = undefined;
  }
}
