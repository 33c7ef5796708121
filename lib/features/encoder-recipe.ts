/**
 * A serialisable recipe that opens an Encoder again — in a worker thread of the extraction pool (./embed-pool), which
 * cannot receive the encoder object itself. Encoders that can be re-opened carry one as `encoder.recipe`: ONNX models
 * (their file path and declared options) and the random-projection stand-in (its seed). tfjs encoders carry none and
 * run in the calling thread.
 */
import type { Encoder } from './encoder';
import type { OnnxEncoderOptions } from './onnx-encoder';
import type { RandomProjectionOptions } from './random-projection-encoder';

export type EncoderRecipe =
  | { kind: 'onnx'; options: OnnxEncoderOptions }
  | { kind: 'randproj'; options: RandomProjectionOptions };

/** Opens the encoder a recipe describes; `intraOpNumThreads` overrides an ONNX model's thread count. */
export async function openRecipe(recipe: EncoderRecipe, opts: { intraOpNumThreads?: number } = {}): Promise<Encoder> {
  if (recipe.kind === 'onnx') {
    const { createOnnxEncoder } = await import('./onnx-encoder');
    return createOnnxEncoder({ ...recipe.options, intraOpNumThreads: opts.intraOpNumThreads ?? recipe.options.intraOpNumThreads });
  }
  if (recipe.kind === 'randproj') {
    const { randomProjectionEncoder } = await import('./random-projection-encoder');
    return randomProjectionEncoder(recipe.options);
  }
  throw new Error(`openRecipe: unknown encoder recipe kind ${(recipe as { kind: unknown }).kind}`);
}
