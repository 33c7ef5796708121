/**
 * safetensors (Hugging Face): 8-byte little-endian header length, a JSON header
 * { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {string: string} }, then raw little-endian bytes.
 * The format of our checkpoints, of PyTorch / dinov2 / HF weight imports, and of feature caches.
 */
import * as fs from 'fs';
import { BYTES, DType, NdArray, numel, typedView } from './dtype';

const ST_DTYPE: Record<string, DType> = {
  F32: 'float32', F64: 'float64', F16: 'float16', I32: 'int32', I64: 'int64', U8: 'uint8', I8: 'int8',
  U16: 'uint16', I16: 'int16', BOOL: 'bool',
};
const TO_ST: Record<DType, string> = Object.fromEntries(Object.entries(ST_DTYPE).map(([k, v]) => [v, k])) as Record<DType, string>;

export interface SafeTensors {
  tensors: Map<string, NdArray>;
  metadata: Record<string, string>;
}

export function encodeSafetensors(tensors: Map<string, NdArray> | Record<string, NdArray>, metadata: Record<string, string> = {}): Buffer {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    const bytes = numel(t.shape) * BYTES[t.dtype];
    if (t.data.length !== numel(t.shape)) throw new Error(`safetensors: ${name} has ${t.data.length} values for shape [${t.shape}]`);
    header[name] = { dtype: TO_ST[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // keep tensor data 8-byte aligned
  const hbytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + hbytes.length + offset);
  out.writeBigUInt64LE(BigInt(hbytes.length), 0);
  hbytes.copy(out, 8);
  let pos = 8 + hbytes.length;
  for (const [, t] of entries) {
    const bytes = numel(t.shape) * BYTES[t.dtype];
    Buffer.from(t.data.buffer, t.data.byteOffset, bytes).copy(out, pos);
    pos += bytes;
  }
  return out;
}

/** The JSON header of a safetensors buffer (which may hold only the first 8 + header-length bytes) and where data starts. */
function parseHeader(b: Buffer, name: string): { header: Record<string, any>; base: number } {
  if (b.length < 8) throw new Error(`${name}: not a safetensors file (too short)`);
  const hlen = Number(b.readBigUInt64LE(0));
  if (hlen > b.length - 8 || hlen > 100_000_000) throw new Error(`${name}: not a safetensors file (header length ${hlen})`);
  try {
    return { header: JSON.parse(b.toString('utf8', 8, 8 + hlen)), base: 8 + hlen };
  } catch (e) {
    throw new Error(`${name}: corrupt safetensors header (${(e as Error).message})`);
  }
}

/**
 * Dtype, element count and byte range of one header entry; throws on an unknown dtype, offsets that disagree with the
 * shape, or a tensor that ends past the file's `size` bytes (data from `base`).
 */
function entryOf(key: string, info: any, name: string, base: number, size: number): { dtype: DType; n: number; s: number } {
  const dtype = ST_DTYPE[info?.dtype];
  if (!dtype) throw new Error(`${name}: tensor ${key} has unsupported dtype ${info?.dtype}`);
  const [s, e] = info.data_offsets as [number, number];
  const n = numel(info.shape);
  if (e - s !== n * BYTES[dtype]) throw new Error(`${name}: tensor ${key} has inconsistent offsets`);
  if (base + e > size) throw new Error(`${name}: tensor ${key} ends at byte ${base + e} but the file has ${size} bytes (truncated)`);
  return { dtype, n, s };
}

/** A damaged file's error, with what to do about it. */
const damaged = (e: unknown): Error => new Error(`${(e as Error).message}: the file is damaged or not safetensors; copy, save or download it again`);

export function decodeSafetensors(buf: Uint8Array, name = '<buffer>'): SafeTensors {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const { header, base } = parseHeader(b, name);
  const tensors = new Map<string, NdArray>();
  for (const [key, info] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    const { dtype, n, s } = entryOf(key, info, name, base, b.length);
    tensors.set(key, { dtype, shape: info.shape, data: typedView(dtype, buf, base + s, n) });
  }
  return { tensors, metadata: header.__metadata__ ?? {} };
}

export function writeSafetensors(path: string, tensors: Map<string, NdArray> | Record<string, NdArray>, metadata?: Record<string, string>): void {
  fs.writeFileSync(path, encodeSafetensors(tensors, metadata));
}

/**
 * Checks a .safetensors file from its header alone (no tensor is read): the header parses and the file is long enough
 * for every tensor. Throws as readSafetensors does. For checks at discovery, where reading gigabytes would be wasted.
 */
export function checkSafetensorsFile(path: string): void {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, 8));
    fs.readSync(fd, head, 0, head.length, 0);
    const hlen = head.length === 8 ? Number(head.readBigUInt64LE(0)) : 0;
    const buf = Buffer.alloc(hlen > 0 && hlen <= size - 8 && hlen <= 100_000_000 ? 8 + hlen : head.length);
    fs.readSync(fd, buf, 0, buf.length, 0);
    try {
      const { header, base } = parseHeader(buf, path);
      for (const [key, info] of Object.entries(header)) {
        if (key === '__metadata__') continue;
        entryOf(key, info, path, base, size);
      }
    } catch (e) {
      throw damaged(e);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a .safetensors file; a damaged one throws naming the file and what to do. */
export function readSafetensors(path: string): SafeTensors {
  const bytes = fs.readFileSync(path);
  try {
    return decodeSafetensors(bytes, path);
  } catch (e) {
    throw damaged(e);
  }
}
