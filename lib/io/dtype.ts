/** Numeric array types shared by the .npy and safetensors readers/writers. float16 travels as raw Uint16 bits. */
export type DType = 'float32' | 'float64' | 'float16' | 'int32' | 'int64' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'bool';

export type TypedArray =
  | Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array | Uint16Array | Int16Array | BigInt64Array;

/** A dense n-d array in row-major (C) order. */
export interface NdArray {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

export const BYTES: Record<DType, number> = {
  float32: 4, float64: 8, float16: 2, int32: 4, int64: 8, uint8: 1, int8: 1, uint16: 2, int16: 2, bool: 1,
};

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** View `byteLength` bytes of `buf` starting at `offset` as a typed array of `dtype` (copies when unaligned). */
export function typedView(dtype: DType, buf: Uint8Array, offset: number, count: number): TypedArray {
  const bytes = BYTES[dtype];
  const start = buf.byteOffset + offset;
  const src = start % bytes === 0 ? buf.buffer : buf.slice(offset, offset + count * bytes).buffer;
  const off = start % bytes === 0 ? start : 0;
  switch (dtype) {
    case 'float32': return new Float32Array(src, off, count);
    case 'float64': return new Float64Array(src, off, count);
    case 'float16': case 'uint16': return new Uint16Array(src, off, count);
    case 'int16': return new Int16Array(src, off, count);
    case 'int32': return new Int32Array(src, off, count);
    case 'int64': return new BigInt64Array(src, off, count);
    case 'uint8': case 'bool': return new Uint8Array(src, off, count);
    case 'int8': return new Int8Array(src, off, count);
  }
}

