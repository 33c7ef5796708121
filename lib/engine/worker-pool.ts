/**
 * A pool of worker_threads for data-parallel work. tfjs-wasm's own threads do not start under Node, so using both
 * cores means one wasm instance per worker thread (measured ≈1.8× on 2 cores; `raydino bench` reports it, docs/bench.md).
 *
 * The worker module contract (`handle`, optional `init` / `onBroadcast`, `withTransfer`) is documented on
 * `WorkerModule` in ./worker-protocol. A worker module may be `.js` (e.g. from dist/) or `.ts` (tests under ts-node):
 * a `.ts` path — or this pool itself running from `.ts` — makes the worker register ts-node (transpile-only) first.
 *
 * @example
 * const pool = new WorkerPool({ module: require.resolve('./matmul-worker'), size: 2, backend: 'wasm' });
 * const results = await pool.map([{ n: 512 }, { n: 512 }]);
 * await pool.close();
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { BackendInfo, BackendName } from './backend';
import { availableCores } from '../config/cores';
import type { BootData, FromWorker, SerialisedError, ToWorker } from './worker-protocol';

export { withTransfer } from './worker-protocol';
export type { WorkerContext, WorkerModule } from './worker-protocol';

export interface WorkerPoolOptions {
  /** Absolute path of the worker module (.js or .ts). */
  module: string;
  /** Number of workers (default: available parallelism). */
  size?: number;
  /** Passed to every worker's context as `ctx.workerData` (structured-cloned). */
  workerData?: unknown;
  /** Initialise a tfjs backend in each worker before its module loads: a name to prefer, 'auto', or false (default). */
  backend?: BackendName | 'auto' | false;
}

interface Job {
  msg: ToWorker;
  transfer?: readonly ArrayBuffer[];
  resolve(v: unknown): void;
  reject(e: Error): void;
  callerStack?: string;
}

interface Slot {
  index: number;
  worker: Worker;
  ready: boolean;
  busy?: Job;
  /** Jobs addressed to this worker only (broadcasts). */
  pinned: Job[];
  backend?: BackendInfo;
}

/** The default pool size: the cores this process may use (`availableCores`: RAYDINO_CORES, else the OS). */
export function defaultPoolSize(): number {
  return availableCores();
}

// Runs in the worker: register ts-node when needed, then hand over to the bootstrap.
const ENTRY = `
const { workerData } = require('worker_threads');
if (workerData.tsNode) {
  require(workerData.tsNode).register({ transpileOnly: true, projectSearchDir: require('path').dirname(workerData.module) });
}
require(workerData.bootstrap);
`;

function toError(e: SerialisedError, where: string, callerStack?: string): Error {
  const err = new Error(e.message);
  err.name = e.name;
  err.stack = `${e.stack ?? `${e.name}: ${e.message}`}\n    --- ${where} ---${callerStack ? `\n${callerStack.split('\n').slice(1).join('\n')}` : ''}`;
  return err;
}

export class WorkerPool {
  readonly size: number;
  readonly module: string;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private failure?: Error;
  private readyWaiters: { resolve(v: BackendInfo[]): void; reject(e: Error): void }[] = [];
  private readonly boot: Omit<BootData, 'index'>;

  constructor(opts: WorkerPoolOptions) {
    if (!path.isAbsolute(opts.module)) throw new Error(`WorkerPool: module must be an absolute path, got ${opts.module}`);
    this.size = opts.size ?? defaultPoolSize();
    if (!Number.isInteger(this.size) || this.size < 1) throw new Error(`WorkerPool: invalid size: ${opts.size}`);
    this.module = opts.module;
    const ext = path.extname(__filename);
    const bootstrap = path.join(__dirname, `worker-bootstrap${ext}`);
    const needsTs = ext === '.ts' || /\.[cm]?ts$/.test(opts.module);
    let tsNode: string | undefined;
    if (needsTs) {
      try {
        tsNode = require.resolve('ts-node', { paths: [__dirname, process.cwd()] });
      } catch {
        throw new Error(`WorkerPool: ${opts.module} is TypeScript but ts-node is not installed; build the lib and pass the .js module`);
      }
    }
    this.boot = { module: opts.module, workerData: opts.workerData, backend: opts.backend || undefined, tsNode, bootstrap };
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn(i));
  }

  private spawn(index: number): Slot {
    const data: BootData = { ...this.boot, index };
    const worker = new Worker(ENTRY, { eval: true, workerData: data });
    const slot: Slot = { index, worker, ready: false, pinned: [] };
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (e) => this.onCrash(slot, e));
    worker.on('exit', (code) => {
      if (!this.closed) this.onCrash(slot, new Error(`worker ${index} exited with code ${code}`));
    });
    worker.unref();   // referenced again by updateRefs() while there is work
    return slot;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.kind === 'ready') {
      slot.ready = true;
      slot.backend = m.backend;
      this.checkReady();
      this.dispatch();
    } else if (m.kind === 'init-failed') {
      this.fail(toError(m.error, `while starting worker ${slot.index} of a pool running ${this.module}`));
    } else {
      const job = slot.busy;
      slot.busy = undefined;
      if (job) {
        if (m.ok) job.resolve(m.value);
        else job.reject(toError(m.error, `in worker ${slot.index} (${path.basename(this.module)})`, job.callerStack));
      }
      this.dispatch();
    }
  }

  private onCrash(slot: Slot, e: Error): void {
    if (this.closed || this.slots[slot.index] !== slot) return;
    const job = slot.busy;
    slot.busy = undefined;
    const err = toError({ name: e.name, message: e.message, stack: e.stack }, `worker ${slot.index} crashed`, job?.callerStack);
    job?.reject(err);
    if (!slot.ready) { this.fail(err); return; }
    // A crash after start: reject the jobs addressed to this worker, replace it, keep serving the queue.
    for (const j of slot.pinned.splice(0)) j.reject(err);
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    this.slots[slot.index] = this.spawn(slot.index);
    this.updateRefs();
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const s of this.slots) {
      s.busy?.reject(e);
      s.busy = undefined;
      for (const j of s.pinned.splice(0)) j.reject(e);
    }
    for (const j of this.queue.splice(0)) j.reject(e);
    for (const w of this.readyWaiters.splice(0)) w.reject(e);
    void this.close();
  }

  private checkReady(): void {
    if (this.slots.every((s) => s.ready)) {
      const infos = this.slots.map((s) => s.backend).filter((b): b is BackendInfo => !!b);
      for (const w of this.readyWaiters.splice(0)) w.resolve(infos);
      this.updateRefs();
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.busy) continue;
      const job = slot.pinned.shift() ?? this.queue.shift();
      if (!job) continue;
      slot.busy = job;
      slot.worker.postMessage(job.msg, job.transfer as ArrayBuffer[] | undefined);
    }
    this.updateRefs();
  }

  /** Workers keep the process alive only while the pool has work or ready() waiters, so a script that forgets close() still exits. */
  private updateRefs(): void {
    const active = this.queue.length > 0 || this.readyWaiters.length > 0 || this.slots.some((s) => s.busy || s.pinned.length);
    for (const s of this.slots) {
      if (active) s.worker.ref();
      else s.worker.unref();
    }
  }

  private enqueue<T>(msg: ToWorker, transfer: readonly ArrayBuffer[] | undefined, slot?: Slot): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('WorkerPool is closed'));
    const callerStack = new Error().stack;
    return new Promise<T>((resolve, reject) => {
      const job: Job = { msg, transfer, resolve: resolve as (v: unknown) => void, reject, callerStack };
      (slot ? slot.pinned : this.queue).push(job);
      this.dispatch();
    });
  }

  /** Resolves when every worker has started; gives the backend each initialised (empty without `backend`). */
  ready(): Promise<BackendInfo[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.readyWaiters.push({ resolve, reject });
      this.checkReady();
      this.updateRefs();
    });
  }

  /** Runs one task on the next free worker. `transferList` buffers are moved, not copied (unusable here afterwards). */
  run<T = unknown>(task: unknown, transferList?: readonly ArrayBuffer[]): Promise<T> {
    return this.enqueue<T>({ kind: 'task', id: this.nextId++, task }, transferList);
  }

  /** Runs every task, in parallel across workers; results in task order. Rejects with the first error. */
  map<T = unknown>(tasks: readonly unknown[], transferLists?: readonly (readonly ArrayBuffer[] | undefined)[]): Promise<T[]> {
    return Promise.all(tasks.map((t, i) => this.run<T>(t, transferLists?.[i])));
  }

  /** Sends `msg` to every worker (its `onBroadcast`, else `handle`); results in worker order. */
  broadcast<T = unknown>(msg: unknown): Promise<T[]> {
    return Promise.all(this.slots.map((s) => this.enqueue<T>({ kind: 'broadcast', id: this.nextId++, msg }, undefined, s)));
  }

  /** Stops every worker. Pending tasks reject. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('WorkerPool closed before the task ran');
    for (const j of this.queue.splice(0)) j.reject(err);
    await Promise.all(this.slots.map(async (s) => {
      s.busy?.reject(err);
      for (const j of s.pinned.splice(0)) j.reject(err);
      s.worker.removeAllListeners();
      await s.worker.terminate();
    }));
  }
}
