/**
 * Minimal MATLAB Level-5 MAT-file reader (MathWorks, "MAT-File Format", R2024 ch. 1): numeric matrices only,
 * compressed (miCOMPRESSED, zlib) or not, little- or big-endian. Enough for AASCE's `p2` landmark arrays.
 * Data come back column-major as stored, with `dims`; use `matGet(m, name, row, col)`.
 */
import zlib from 'zlib';

export interface MatArray { name: string; dims: number[]; className: string; data: Float64Array }

const MI = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15, UTF8: 16 };
const CLASS_NAMES: Record<number, string> = { 1: 'cell', 2: 'struct', 3: 'object', 4: 'char', 5: 'sparse', 6: 'double', 7: 'single', 8: 'int8', 9: 'uint8', 10: 'int16', 11: 'uint16', 12: 'int32', 13: 'uint32', 14: 'int64', 15: 'uint64' };

interface Element { type: number; data: DataView; next: number }

function readElement(view: DataView, off: number, le: boolean, where: string): Element {
  if (off + 8 > view.byteLength) throw new Error(`${where}: truncated element at byte ${off}`);
  const first = view.getUint32(off, le);
  if (first >>> 16 !== 0) {
    // small data element: 2-byte size, 2-byte type, ≤ 4 bytes of data, 8 bytes in all
    const type = first & 0xffff, n = first >>> 16;
    return { type, data: new DataView(view.buffer, view.byteOffset + off + 4, n), next: off + 8 };
  }
  const n = view.getUint32(off + 4, le);
  if (off + 8 + n > view.byteLength) throw new Error(`${where}: element at byte ${off} claims ${n} bytes past the end`);
  const pad = first === MI.COMPRESSED ? 0 : (8 - (n % 8)) % 8;
  return { type: first, data: new DataView(view.buffer, view.byteOffset + off + 8, n), next: off + 8 + n + pad };
}

function numbers(el: Element, le: boolean, where: string): Float64Array {
  const d = el.data;
  const size = { [MI.INT8]: 1, [MI.UINT8]: 1, [MI.INT16]: 2, [MI.UINT16]: 2, [MI.INT32]: 4, [MI.UINT32]: 4, [MI.SINGLE]: 4, [MI.DOUBLE]: 8, [MI.INT64]: 8, [MI.UINT64]: 8 }[el.type];
  if (!size) throw new Error(`${where}: unsupported numeric data type ${el.type}`);
  const n = d.byteLength / size;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (el.type) {
      case MI.INT8: out[i] = d.getInt8(o); break;
      case MI.UINT8: out[i] = d.getUint8(o); break;
      case MI.INT16: out[i] = d.getInt16(o, le); break;
      case MI.UINT16: out[i] = d.getUint16(o, le); break;
      case MI.INT32: out[i] = d.getInt32(o, le); break;
      case MI.UINT32: out[i] = d.getUint32(o, le); break;
      case MI.SINGLE: out[i] = d.getFloat32(o, le); break;
      case MI.DOUBLE: out[i] = d.getFloat64(o, le); break;
      case MI.INT64: out[i] = Number(d.getBigInt64(o, le)); break;
      default: out[i] = Number(d.getBigUint64(o, le));
    }
  }
  return out;
}

function readMatrix(el: Element, le: boolean, where: string): MatArray | null {
  const v = el.data;
  const flags = readElement(v, 0, le, where);
  const cls = flags.data.getUint32(0, le) & 0xff;
  const complex = (flags.data.getUint32(0, le) >> 11) & 1;
  const dimsEl = readElement(v, flags.next, le, where);
  const dims = Array.from(numbers(dimsEl, le, where));
  const nameEl = readElement(v, dimsEl.next, le, where);
  const name = new TextDecoder().decode(new Uint8Array(nameEl.data.buffer, nameEl.data.byteOffset, nameEl.data.byteLength));
  const className = CLASS_NAMES[cls] ?? `class${cls}`;
  if (cls < 6 || complex) return null; // cell/struct/char/sparse/complex: not needed here
  const real = readElement(v, nameEl.next, le, where);
  const data = numbers(real, le, `${where} '${name}'`);
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new Error(`${where}: '${name}' has ${data.length} values for dims ${dims.join('×')}`);
  return { name, dims, className, data };
}

/** Parse a MAT v5 buffer into its numeric arrays by name. */
export function readMat(buf: Uint8Array, where = 'MAT file'): Map<string, MatArray> {
  if (buf.length < 128) throw new Error(`${where}: too short for a MAT v5 header`);
  const head = new TextDecoder('latin1').decode(buf.subarray(0, 10));
  if (!head.startsWith('MATLAB 5.0')) throw new Error(`${where}: not a MAT v5 file (header '${head}'; v7.3 HDF5 files are not supported)`);
  const endian = String.fromCharCode(buf[126], buf[127]);
  if (endian !== 'IM' && endian !== 'MI') throw new Error(`${where}: bad endian indicator '${endian}'`);
  const le = endian === 'IM';
  const out = new Map<string, MatArray>();
  const walk = (view: DataView, start: number) => {
    for (let off = start; off + 8 <= view.byteLength;) {
      const el = readElement(view, off, le, where);
      if (el.type === MI.COMPRESSED) {
        const raw = zlib.inflateSync(new Uint8Array(el.data.buffer, el.data.byteOffset, el.data.byteLength));
        walk(new DataView(raw.buffer, raw.byteOffset, raw.byteLength), 0);
      } else if (el.type === MI.MATRIX) {
        const m = readMatrix(el, le, where);
        if (m) out.set(m.name, m);
      }
      off = el.next;
    }
  };
  walk(new DataView(buf.buffer, buf.byteOffset, buf.byteLength), 128);
  return out;
}

/** Element (row, col) of a 2-D column-major MatArray. */
export function matGet(m: MatArray, row: number, col: number): number {
  return m.data[col * m.dims[0] + row];
}
