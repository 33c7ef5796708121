/**
 * Worker module of the extraction pool (./embed-pool, lib/engine/worker-pool): opens the encoder from its recipe
 * (ONNX Runtime with `threads` intra-op threads, 1 by default) once, then embeds the sub-batches it is sent and
 * transfers the arrays back without copying.
 */
import { withTransfer } from '../engine/worker-protocol';
import type { WorkerContext } from '../engine/worker-protocol';
import type { Encoder, EncoderOutput } from './encoder';
import { EncoderRecipe, openRecipe } from './encoder-recipe';

export interface EmbedTask { pixels: Float32Array; batch: number; blocks?: number[] }

let encoder: Encoder | undefined;

export async function init(ctx: WorkerContext): Promise<void> {
  const { recipe, threads } = ctx.workerData as { recipe: EncoderRecipe; threads: number };
  encoder = await openRecipe(recipe, { intraOpNumThreads: threads });
}

export async function handle(task: EmbedTask): Promise<unknown> {
  if (!encoder) throw new Error('extract-worker: encoder not opened (init failed?)');
  const out: EncoderOutput = await encoder.embed(task.pixels, task.batch, { blocks: task.blocks });
  const buffers = [out.cls, out.patches, ...(out.blocks?.values() ?? [])].map((a) => a.buffer as ArrayBuffer);
  return withTransfer(out, [...new Set(buffers)]);
}
