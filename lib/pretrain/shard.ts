/**
 * Splitting one pretraining step into data-parallel shards (dinov2 under DDP: each rank gets B/N images of the global
 * batch with all their crops). The step's batch is built once for the whole batch (`PretrainRun.prepareBatch`), so its
 * data does not depend on the number of workers; shard k holds images k·b … k·b + b − 1 (b = B/N) of every crop.
 * The teacher targets were computed over the whole batch (dinov2 all-reduces Sinkhorn-Knopp / centring statistics);
 * a shard gets its images' rows of them.
 */
import { gatherRows } from '../engine/rows';
import { Rng } from '../engine/rng';
import { maskedPatchIndex } from './ibot-loss';
import { stepStream } from './trainer';

/** Throws unless `batch` splits into `shards` equal shards a KoLeo term can use (≥ 2 images when it is on). */
export function checkShards(batch: number, shards: number, koleo: boolean, setting = 'train.workers'): number {
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`${setting} must be a positive integer, got ${shards}`);
  if (batch % shards !== 0) {
    throw new Error(`optim.batchSize ${batch} is not divisible by ${setting} ${shards}: data-parallel shards must be equal`);
  }
  const b = batch / shards;
  if (koleo && b < 2) throw new Error(`optim.batchSize ${batch} / ${setting} ${shards} = ${b} image per shard: KoLeo needs ≥ 2 (or set dino.koleoLossWeight 0)`);
  return b;
}

/** The rng stream of shard k of step s (its drop-path draws): a named fork of the step's stream. */
export function shardStream(seed: number, s: number, k: number): Rng {
  return stepStream(seed, s).fork(`shard:${k}`);
}

/** Row indices of shard k in a crop-major [nCrops·B, …] buffer: images k·b … k·b+b−1 of each crop, crop by crop. */
export function shardRows(batch: number, shards: number, k: number, nCrops: number): number[] {
  const b = batch / shards;
  const rows: number[] = [];
  for (let c = 0; c < nCrops; c++) for (let i = 0; i < b; i++) rows.push(c * batch + k * b + i);
  return rows;
}

/** Writes the rows of `src` (each `rowSize` values) to rows `rows` of `dst` (the inverse of lib/engine/rows `gatherRows`). */
export function scatterRows(dst: Float32Array, rowSize: number, rows: readonly number[], src: Float32Array): void {
  if (src.length !== rows.length * rowSize) throw new Error(`scatterRows: ${src.length} values for ${rows.length} rows of ${rowSize}`);
  rows.forEach((r, i) => dst.set(src.subarray(i * rowSize, (i + 1) * rowSize), r * rowSize));
}

/**
 * Positions, in the whole batch's list of masked patches (`maskedPatchIndex` order: by global-crop row, then token),
 * of shard k's masked patches — in the shard's own order, because both lists are sorted by image row.
 */
export function shardMaskedRows(masks: Uint8Array, g: ShardGeometry, k: number): number[] {
  const { indices } = maskedPatchIndex(masks, 2 * g.batch, g.tokens);
  const inShard = new Set(shardRows(g.batch, g.shards, k, 2));
  const out: number[] = [];
  indices.forEach((flat, j) => { if (inShard.has(Math.floor(flat / g.tokens))) out.push(j); });
  return out;
}

/** What one worker needs of a step: its crops, masks and teacher targets. */
export interface ShardData {
  /** [2b, 1, G, G] global crops, crop-major. */
  global: Float32Array;
  /** [nL·b, 1, L, L] local crops, crop-major. */
  local: Float32Array;
  /** [2b·T] iBOT masks of its global crops. */
  masks: Uint8Array;
  /** [2b, K] teacher DINO probabilities of its global crops. */
  dinoProbs: Float32Array;
  /** [m, K] teacher iBOT probabilities of its masked patches (in flat-index order). */
  ibotProbs: Float32Array;
}

export interface StepBatchData {
  global: Float32Array;
  local: Float32Array;
  masks: Uint8Array;
  /** [2B, K] and [M, K] whole-batch teacher targets. */
  dinoProbs: Float32Array;
  ibotProbs: Float32Array;
}

export interface ShardGeometry {
  batch: number;
  shards: number;
  nLocal: number;
  /** Values per global crop (C·G·G), per local crop (C·L·L). */
  globalSize: number;
  localSize: number;
  /** Patch tokens per global crop. */
  tokens: number;
  prototypes: number;
}

/** Shard k of a step's data. iBOT rows: the whole batch's masked patches are sorted by image row, so are a shard's. */
export function shardData(d: StepBatchData, g: ShardGeometry, k: number): ShardData {
  const gRows = shardRows(g.batch, g.shards, k, 2);
  const lRows = shardRows(g.batch, g.shards, k, g.nLocal);
  const ibotRows = shardMaskedRows(d.masks, g, k);
  return {
    global: gatherRows(d.global, g.globalSize, gRows),
    local: gatherRows(d.local, g.localSize, lRows),
    masks: gatherRows(d.masks, g.tokens, gRows),
    dinoProbs: gatherRows(d.dinoProbs, g.prototypes, gRows),
    ibotProbs: gatherRows(d.ibotProbs, g.prototypes, ibotRows),
  };
}
