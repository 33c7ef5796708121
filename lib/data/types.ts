/**
 * The dataset contract every loader returns (torchxrayvision-style: label names, labels 1/0/NaN, a metadata table
 * aligned row for row). Owned by lib/data; lib/data/synthetic produces the same shape.
 */
import type { ColumnTable } from 'arquero';

export type Split = 'train' | 'val' | 'test';
export type Sex = 'F' | 'M';
export type AgeBin = 'Young' | 'Middle' | 'Elder';

/** A decoded grey image, values in [0, 1], row-major, height × width. */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** One box in the ORIGINAL image's pixel coordinates (origin top-left, x right, y down). */
export interface Box {
  id: string;        // sample id
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Normalised per-image table. Fixed columns:
 *   id (string, unique), path (string | null: absolute path or null for generated images), patient (string),
 *   study (string), view (string | null), sex ('F' | 'M' | null), age (number | null), age_bin (AgeBin | null),
 *   population (string), split (Split), width, height (original pixel size, number | null)
 * then one numeric column per entry of `labelNames` holding 1 / 0 / NaN (NaN = unknown, ignored by masked losses),
 * and, for multi-class tasks, a `class` column holding the class index (0..classNames.length-1).
 * Regression targets (e.g. Cobb angles) are numeric columns listed in `targetNames`.
 */
export interface SampleTable {
  dataset: string;
  table: ColumnTable;
  labelNames: string[];
  classNames?: string[];
  targetNames?: string[];
  /** Segmentation classes available through `loadMasks`. */
  maskClasses?: string[];
  /** Boxes (finding localisation) for the rows that have them. */
  boxes?: Box[];
  /** Decode one image by sample id. */
  loadImage(id: string): Promise<GreyImage>;
  /** Masks per class by sample id, each width × height of the original image, 1 = inside; null where a class is not annotated. */
  loadMasks?(id: string): Promise<(Uint8Array | null)[]>;
  /** Rows that could not be read (missing/corrupt image, unparsable row), with the reason; never silently dropped. */
  problems: { id: string; file: string; row?: number; reason: string }[];
}
