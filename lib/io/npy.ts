/**
 * NumPy .npy format v1.0/2.0 (little-endian, C order), so Python users read our caches with `np.load`.
 * Spec: numpy.lib.format.
 */
import * as fs from 'fs';
import { BYTES, DType, NdArray, numel, TypedArray, typedView } from './dtype';
import { float16ToFloat32 } from './float16';

const DESCR: Record<DType, string> = {
  float32: '<f4', float64: '<f8', float16: '<f2', int32: '<i4', int64: '<i8', uint8: '|u1', int8: '|i1',
  uint16: '<u2', int16: '<i2', bool: '|b1',
};
const FROM_DESCR: Record<string, DType> = Object.fromEntries(Object.entries(DESCR).map(([k, v]) => [v, k as DType]));
FROM_DESCR['<u1'] = 'uint8';
FROM_DESCR['<i1'] = 'int8';
FROM_DESCR['<b1'] = 'bool';

export function encodeNpy(arr: NdArray): Buffer {
  const n = numel(arr.shape);
  if (arr.data.length !== n) throw new Error(`npy: data length ${arr.data.length} does not match shape [${arr.shape}]`);
  const shape = arr.shape.length === 1 ? `(${arr.shape[0]},)` : `(${arr.shape.join(', ')})`;
  let header = `{'descr': '${DESCR[arr.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pre = 10;
  const pad = 64 - ((pre + header.length + 1) % 64);
  header = header + ' '.repeat(pad % 64) + '\n';
  if (header.length > 65535) throw new Error('npy: header too long');
  const out = Buffer.alloc(pre + header.length + n * BYTES[arr.dtype]);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1; out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, pre, 'latin1');
  Buffer.from(arr.data.buffer, arr.data.byteOffset, n * BYTES[arr.dtype]).copy(out, pre + header.length);
  return out;
}

export function decodeNpy(buf: Uint8Array, name = '<buffer>'): NdArray {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 10 || b.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${name}: not a .npy file (bad magic)`);
  const major = b[6];
  let hlen: number, start: number;
  if (major === 1) { hlen = b.readUInt16LE(8); start = 10; }
  else if (major === 2 || major === 3) { hlen = b.readUInt32LE(8); start = 12; }
  else throw new Error(`${name}: unsupported .npy version ${major}`);
  const header = b.toString('latin1', start, start + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeStr === undefined) throw new Error(`${name}: malformed .npy header: ${header.trim()}`);
  if (fortran === 'True') throw new Error(`${name}: Fortran-order arrays are not supported; save with np.ascontiguousarray`);
  const dtype = FROM_DESCR[descr];
  if (!dtype) throw new Error(`${name}: unsupported dtype ${descr} (big-endian or structured?)`);
  const shape = shapeStr.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const n = numel(shape);
  const offset = start + hlen;
  if (b.length < offset + n * BYTES[dtype]) throw new Error(`${name}: truncated .npy (${b.length} bytes for shape [${shape}] ${descr})`);
  return { dtype, shape, data: typedView(dtype, buf, offset, n) };
}

export function writeNpy(path: string, arr: NdArray): void {
  fs.writeFileSync(path, encodeNpy(arr));
}

export function readNpy(path: string): NdArray {
  return decodeNpy(fs.readFileSync(path), path);
}

/** Convenience: a float32 array from any numeric npy dtype. */
export function asFloat32(arr: NdArray): Float32Array {
  if (arr.dtype === 'float32') return arr.data as Float32Array;
  if (arr.dtype === 'float16') return float16ToFloat32(arr.data as Uint16Array);
  const out = new Float32Array(arr.data.length);
  const d = arr.data as TypedArray;
  for (let i = 0; i < out.length; i++) out[i] = Number(d[i]);
  return out;
}
