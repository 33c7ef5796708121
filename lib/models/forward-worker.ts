/**
 * WorkerPool module (lib/engine/worker-pool) running ViT forward passes in a worker thread — one tfjs-wasm instance
 * per worker is how Node uses both cores (tfjs-wasm's own threads do not start under Node).
 * workerData: { config: ViTConfig, seed?: number } (random init) or { weights: string, format?, heads? } (a file).
 * Task: { pixels: Float32Array, shape: [B, C, H, W], blocks?: number[] } → { cls, patches, blocks? } (transferred).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WorkerContext } from '../engine/worker-protocol';
import { withTransfer } from '../engine/worker-protocol';
import type { ViTConfigInput } from './config';
import { ViT } from './vit';
import { loadViT, WeightFormat } from './weights';

export interface ForwardWorkerData { config?: ViTConfigInput; seed?: number; weights?: string; format?: WeightFormat; heads?: number }
export interface ForwardTask { pixels: Float32Array; shape: [number, number, number, number]; blocks?: number[] }
export interface ForwardResult { cls: Float32Array; patches: Float32Array; blocks?: Float32Array[] }

let vit: ViT | undefined;

export function init(ctx: WorkerContext): void {
  const d = ctx.workerData as ForwardWorkerData;
  if (d.weights) vit = loadViT(d.weights, { format: d.format, heads: d.heads });
  else if (d.config) vit = new ViT(d.config, d.seed ?? 0);
  else throw new Error('forward-worker: workerData needs config or weights');
}

export async function handle(task: ForwardTask): Promise<unknown> {
  if (!vit) throw new Error('forward-worker: not initialised');
  const x = tf.tensor4d(task.pixels, task.shape);
  const out = vit.forward(x, { returnBlocks: task.blocks });
  const res: ForwardResult = { cls: await out.cls.data() as Float32Array, patches: await out.patches.data() as Float32Array };
  if (out.blocks) res.blocks = await Promise.all(out.blocks.map(async (b) => await b.data() as Float32Array));
  tf.dispose([x, out.cls, out.patches, ...(out.blocks ?? []), ...(out.registers ? [out.registers] : [])]);
  return withTransfer(res, [res.cls.buffer as ArrayBuffer, res.patches.buffer as ArrayBuffer, ...(res.blocks ?? []).map((b) => b.buffer as ArrayBuffer)]);
}
