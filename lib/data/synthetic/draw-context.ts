/**
 * Buffers shared by the CXR drawers. Attenuation is composed as
 *   A = att − AIR · lungT · (1 − opac) · airScale + vessel · (1 − opac) · (1 − ptx) · vesselScale − PTX_AIR · ptx
 * so a finding can ADD tissue (att), REPLACE lung air (opac ∈ [0, 1]: fluid, consolidation) or ADD free air (ptx).
 */
import type { Box } from './raster';
import type { ThoraxGeometry } from './geometry';
import type { PhantomSpec } from './spec';

export interface PhantomBox { label: string; x: number; y: number; w: number; h: number }

export interface DrawContext {
  spec: PhantomSpec;
  S: number;
  G: ThoraxGeometry;
  att: Float32Array;
  lungT: Float32Array;
  /** 1 = right lung, 2 = left lung. */
  lungSide: Uint8Array;
  opac: Float32Array;
  vessel: Float32Array;
  ptx: Float32Array;
  scratch: Float32Array;
  masks: Map<string, Uint8Array> | null;
  boxes: PhantomBox[];
  airScale: number;
  vesselScale: number;
  mask(name: string): Uint8Array | undefined;
  addBox(label: string, b: Box, pad?: number): void;
}

export const AIR = 0.75;
export const PTX_AIR = 0.12;
