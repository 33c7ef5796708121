/**
 * Minimal DICOM Part-10 writer (explicit VR little endian) for test fixtures: enough tags for a greyscale image.
 * Not a general writer: no sequences, no compressed syntaxes.
 */
export interface DicomSpec {
  rows: number;
  columns: number;
  bitsAllocated: 8 | 16;
  bitsStored?: number;
  signed?: boolean;
  photometric?: 'MONOCHROME1' | 'MONOCHROME2';
  windowCenter?: number | string;
  windowWidth?: number | string;
  slope?: number;
  intercept?: number;
  patientSex?: string;
  patientAge?: string;
  viewPosition?: string;
  transferSyntax?: string;
  /** Stored values, row-major. */
  pixels: ArrayLike<number>;
}

type El = { group: number; element: number; vr: string; value: Buffer };

function str(v: string, pad = ' '): Buffer {
  return Buffer.from(v.length % 2 ? v + pad : v, 'latin1');
}
function us(v: number): Buffer { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; }
function ul(v: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; }

function encode(els: El[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of els.sort((a, b) => a.group - b.group || a.element - b.element)) {
    const head = Buffer.alloc(['OB', 'OW', 'UN', 'UT', 'SQ'].includes(e.vr) ? 12 : 8);
    head.writeUInt16LE(e.group, 0);
    head.writeUInt16LE(e.element, 2);
    head.write(e.vr, 4, 'latin1');
    if (head.length === 12) head.writeUInt32LE(e.value.length, 8); else head.writeUInt16LE(e.value.length, 6);
    parts.push(head, e.value);
  }
  return Buffer.concat(parts);
}

export function writeDicom(spec: DicomSpec): Buffer {
  const ts = spec.transferSyntax ?? '1.2.840.10008.1.2.1';
  const meta = encode([
    { group: 2, element: 1, vr: 'OB', value: Buffer.from([0, 1]) },
    { group: 2, element: 2, vr: 'UI', value: str('1.2.840.10008.5.1.4.1.1.1.1', '\0') },
    { group: 2, element: 3, vr: 'UI', value: str('1.2.3.4.5', '\0') },
    { group: 2, element: 0x10, vr: 'UI', value: str(ts, '\0') },
  ]);
  const groupLength = encode([{ group: 2, element: 0, vr: 'UL', value: ul(meta.length) }]);
  const n = spec.rows * spec.columns;
  const px = Buffer.alloc(n * (spec.bitsAllocated / 8));
  for (let i = 0; i < n; i++) {
    const v = spec.pixels[i];
    if (spec.bitsAllocated === 8) px.writeUInt8(v & 0xff, i);
    else px.writeUInt16LE(v & 0xffff, 2 * i); // two's complement for signed values
  }
  const els: El[] = [
    { group: 0x28, element: 0x02, vr: 'US', value: us(1) },
    { group: 0x28, element: 0x04, vr: 'CS', value: str(spec.photometric ?? 'MONOCHROME2') },
    { group: 0x28, element: 0x10, vr: 'US', value: us(spec.rows) },
    { group: 0x28, element: 0x11, vr: 'US', value: us(spec.columns) },
    { group: 0x28, element: 0x100, vr: 'US', value: us(spec.bitsAllocated) },
    { group: 0x28, element: 0x101, vr: 'US', value: us(spec.bitsStored ?? spec.bitsAllocated) },
    { group: 0x28, element: 0x102, vr: 'US', value: us((spec.bitsStored ?? spec.bitsAllocated) - 1) },
    { group: 0x28, element: 0x103, vr: 'US', value: us(spec.signed ? 1 : 0) },
    { group: 0x7fe0, element: 0x10, vr: spec.bitsAllocated === 8 ? 'OB' : 'OW', value: px },
  ];
  if (spec.windowCenter !== undefined) els.push({ group: 0x28, element: 0x1050, vr: 'DS', value: str(String(spec.windowCenter)) });
  if (spec.windowWidth !== undefined) els.push({ group: 0x28, element: 0x1051, vr: 'DS', value: str(String(spec.windowWidth)) });
  if (spec.intercept !== undefined) els.push({ group: 0x28, element: 0x1052, vr: 'DS', value: str(String(spec.intercept)) });
  if (spec.slope !== undefined) els.push({ group: 0x28, element: 0x1053, vr: 'DS', value: str(String(spec.slope)) });
  if (spec.patientSex) els.push({ group: 0x10, element: 0x40, vr: 'CS', value: str(spec.patientSex) });
  if (spec.patientAge) els.push({ group: 0x10, element: 0x1010, vr: 'AS', value: str(spec.patientAge) });
  if (spec.viewPosition) els.push({ group: 0x18, element: 0x5101, vr: 'CS', value: str(spec.viewPosition) });
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), groupLength, meta, encode(els)]);
}
