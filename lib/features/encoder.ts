/**
 * The Encoder seam: anything mapping a batch of images to CLS and patch tokens — our tfjs ViT, its ONNX export run by
 * ONNX Runtime, or a user's .onnx / DINOv2 / HF weights. Adapters never know which.
 */
import type { EncoderRecipe } from './encoder-recipe';
export interface EncoderInfo {
  /** Stable identity, e.g. sha256 of the weights file: part of every feature-cache key. */
  id: string;
  name: string;
  inputSize: number;          // square input side in pixels
  channels: 1 | 3;            // grey X-rays enter as 1 channel or replicated to 3
  mean: number[];             // per-channel normalisation applied to [0,1] pixels: (x - mean) / std
  std: number[];
  patchSize: number;
  dim: number;
  /** Intermediate blocks whose outputs `embed` can also return (for segmentation pyramids). */
  blocks?: number[];
  /** Numeric precision of the forward ('fp32' when absent; 'int8' = our ONNX export with integer linears). */
  precision?: string;
}

export interface EncoderOutput {
  batch: number;
  dim: number;
  /** Patch grid rows × cols; tokens = gridH * gridW (registers excluded). */
  gridH: number;
  gridW: number;
  cls: Float32Array;          // [B, D]
  patches: Float32Array;      // [B, T, D]
  /** Requested intermediate blocks: block index → patch tokens [B, T, D] (after the final norm, as dinov2's get_intermediate_layers(norm=True)). */
  blocks?: Map<number, Float32Array>;
  /** Optional per-head CLS→patch attention of the last block [B, heads, T]. */
  attention?: Float32Array;
}

export interface Encoder extends EncoderInfo {
  /** `pixels`: NCHW float32, already resized to inputSize and normalised with mean/std. */
  embed(pixels: Float32Array, batch: number, opts?: { blocks?: number[]; attention?: boolean }): Promise<EncoderOutput>;
  dispose(): Promise<void> | void;
  /** How to open this same encoder again in a worker thread (./encoder-recipe); absent = it runs in this thread only. */
  recipe?: EncoderRecipe;
}
