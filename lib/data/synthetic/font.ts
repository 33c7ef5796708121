/** A 5×7 bitmap font for burned-in film markers (R, L, AP, PA, PORTABLE, …): deterministic on every machine. */
const GLYPHS: Record<string, string[]> = {
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  B: ['11110', '10001', '10001', '11110', '10001', '10001', '11110'],
  D: ['11110', '10001', '10001', '10001', '10001', '10001', '11110'],
  E: ['11111', '10000', '10000', '11110', '10000', '10000', '11111'],
  L: ['10000', '10000', '10000', '10000', '10000', '10000', '11111'],
  O: ['01110', '10001', '10001', '10001', '10001', '10001', '01110'],
  P: ['11110', '10001', '10001', '11110', '10000', '10000', '10000'],
  R: ['11110', '10001', '10001', '11110', '10100', '10010', '10001'],
  S: ['01111', '10000', '10000', '01110', '00001', '00001', '11110'],
  T: ['11111', '00100', '00100', '00100', '00100', '00100', '00100'],
};

/**
 * Draw `text` into a [0, 1] image with its top-left corner at (x, y) pixels; `cell` = pixel size of one font dot.
 * Unknown characters are skipped (one blank cell). Returns the drawn width in pixels.
 */
export function drawText(img: Float32Array, size: number, text: string, x: number, y: number, cell: number, value: number): number {
  let cx = Math.round(x);
  const cy = Math.round(y);
  for (const ch of text) {
    const g = GLYPHS[ch];
    if (g) {
      for (let r = 0; r < 7; r++) {
        for (let c = 0; c < 5; c++) {
          if (g[r][c] !== '1') continue;
          for (let dy = 0; dy < cell; dy++) for (let dx = 0; dx < cell; dx++) {
            const px = cx + c * cell + dx, py = cy + r * cell + dy;
            if (px >= 0 && py >= 0 && px < size && py < size) img[py * size + px] = value;
          }
        }
      }
    }
    cx += 6 * cell;
  }
  return cx - Math.round(x);
}

export function textWidth(text: string, cell: number): number {
  return text.length * 6 * cell - cell;
}
