/**
 * Messages between a WorkerPool and its workers, and the contract a worker module implements.
 * Kept apart from worker-pool.ts so the worker side never loads the pool.
 */
import type { BackendInfo, BackendName } from './backend';

/**
 * Context handed to a worker module's functions.
 */
export interface WorkerContext {
  /** 0-based index of this worker in its pool. */
  index: number;
  /** The pool's `workerData` option, as given. */
  workerData: unknown;
  /** The tfjs backend this worker initialised, when the pool asked for one (`backend` option). */
  backend?: BackendInfo;
}

/**
 * The contract of a worker module (the file passed as `module` to `new WorkerPool`). CommonJS or TypeScript;
 * a `.ts` module is loaded through ts-node (transpile-only), so the same module works from tests and, compiled,
 * from dist/.
 *
 * - `handle(task, ctx)` (required): does one task; its (awaited) return value resolves `pool.run(task)`.
 *   To move ArrayBuffers instead of copying them, return `withTransfer(value, [buffers])`.
 *   A thrown error rejects `run` with an Error carrying the worker's message and stack.
 * - `init(ctx)` (optional): runs once per worker before its first task (after the backend, if any, is ready).
 * - `onBroadcast(msg, ctx)` (optional): runs on every worker for `pool.broadcast(msg)`; defaults to `handle`.
 *
 * @example
 * // square-worker.ts
 * export function handle(task: { x: number }): number { return task.x * task.x; }
 */
export interface WorkerModule<Task = unknown, Result = unknown> {
  handle(task: Task, ctx: WorkerContext): Result | Promise<Result>;
  init?(ctx: WorkerContext): void | Promise<void>;
  onBroadcast?(msg: unknown, ctx: WorkerContext): unknown;
}

/** Marks a result whose ArrayBuffers should be transferred (zero-copy) back to the main thread. */
export class Transfer<T> {
  constructor(readonly value: T, readonly list: ArrayBuffer[]) {}
}

/** Return `withTransfer(result, [result.data.buffer])` from `handle` to transfer instead of copying. */
export function withTransfer<T>(value: T, list: ArrayBuffer[]): Transfer<T> {
  return new Transfer(value, list);
}

/** What the pool passes as the Worker's workerData. */
export interface BootData {
  module: string;
  index: number;
  workerData: unknown;
  backend?: BackendName | 'auto';
  /** Absolute path of ts-node's main module, set when a .ts file must be loaded (registered transpile-only). */
  tsNode?: string;
  bootstrap: string;
}

export type ToWorker =
  | { kind: 'task'; id: number; task: unknown }
  | { kind: 'broadcast'; id: number; msg: unknown };

export interface SerialisedError { name: string; message: string; stack?: string }

export type FromWorker =
  | { kind: 'ready'; backend?: BackendInfo }
  | { kind: 'init-failed'; error: SerialisedError }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: SerialisedError };
