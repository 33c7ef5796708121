/**
 * Encoder precisions: what ONNX Runtime can run our ViTs in (lib/models/onnx-export writes them) and what a user may
 * ask for (the profiles' `encoder.precision`, `raydino features --precision`, openEncoder). Kept here, below models,
 * so the profile schema can name them without importing a model.
 */
import { z } from 'zod';

export const ONNX_PRECISIONS = ['fp32', 'int8'] as const;
export type OnnxPrecision = (typeof ONNX_PRECISIONS)[number];
/** What a user asks an encoder for: a precision, or 'auto' (lib/models/onnx-export autoPrecision picks one per model). */
export const ENCODER_PRECISIONS = ['auto', ...ONNX_PRECISIONS] as const;
export type EncoderPrecision = (typeof ENCODER_PRECISIONS)[number];
export const encoderPrecisionSchema = z.enum(ENCODER_PRECISIONS);
/**
 * The precision `raydino features`, the profiles and openEncoder use unless told otherwise: 'auto', i.e. autoPrecision
 * (chosen by the measurements in docs/bench.md §int8).
 */
export const DEFAULT_ENCODER_PRECISION: EncoderPrecision = 'auto';
