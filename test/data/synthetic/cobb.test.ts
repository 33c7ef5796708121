/**
 * Cobb angles: the formula on hand-made tilts, and recovery of the stored angles from the landmarks and from the
 * DRAWN vertebra masks (second-moment orientation of each vertebra), within ~1°.
 */
import { strict as assert } from 'assert';
import { createRng } from '../../../lib/engine/rng';
import { SPINE_LEVELS } from '../../../lib/data/synthetic/catalogue';
import { cobbFromLandmarks, cobbFromTilts, tiltsFromLandmarks, VertebraCorners } from '../../../lib/data/synthetic/cobb';
import { generatePhantom } from '../../../lib/data/synthetic/phantom';
import { samplePhantomSpec } from '../../../lib/data/synthetic/spec';

/**
 * Tilt (degrees) of a drawn vertebra: a first guess from the mask's second moments, then the direction between the
 * centroids of its left and right halves (the AASCE left-mid → right-mid definition, robust to pixelation).
 */
function maskTilt(m: Uint8Array, size: number): number {
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < m.length; i++) if (m[i]) { n++; sx += i % size; sy += Math.floor(i / size); }
  const mx = sx / n, my = sy / n;
  let cxx = 0, cyy = 0, cxy = 0;
  for (let i = 0; i < m.length; i++) {
    if (!m[i]) continue;
    const dx = (i % size) - mx, dy = Math.floor(i / size) - my;
    cxx += dx * dx; cyy += dy * dy; cxy += dx * dy;
  }
  const t0 = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
  const ux = Math.cos(t0), uy = Math.sin(t0);
  const acc = [0, 0, 0, 0, 0, 0]; // n, x, y for left then right half
  for (let i = 0; i < m.length; i++) {
    if (!m[i]) continue;
    const x = i % size, y = Math.floor(i / size);
    const k = (x - mx) * ux + (y - my) * uy < 0 ? 0 : 3;
    acc[k]++; acc[k + 1] += x; acc[k + 2] += y;
  }
  return (Math.atan2(acc[5] / acc[3] - acc[2] / acc[0], acc[4] / acc[3] - acc[1] / acc[0]) * 180) / Math.PI;
}

describe('cobbFromTilts', () => {
  it('splits the curve at the end vertebrae of the major curve', () => {
    // tilts: upper curve 0 → -8, major -8 → +22, lower +22 → +10
    const t = [0, -4, -8, -2, 6, 14, 22, 18, 10];
    const c = cobbFromTilts(t);
    assert.deepEqual(c.apexPair, [2, 6]);
    assert.equal(c.mt, 30);
    assert.equal(c.pt, 8);
    assert.equal(c.tl, 12);
  });

  it('is zero for a straight spine and rejects too few vertebrae', () => {
    assert.deepEqual(cobbFromTilts([0, 0, 0, 0]).mt, 0);
    assert.throws(() => cobbFromTilts([1, 2]), /at least 3/);
  });
});

describe('tiltsFromLandmarks', () => {
  it('measures the left-mid to right-mid direction of each vertebra', () => {
    const a = (10 * Math.PI) / 180;
    const rot = (x: number, y: number): [number, number] => [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)];
    const v: VertebraCorners = [rot(-2, -1), rot(2, -1.5), rot(-2, 1), rot(2, 1.5)]; // wedge: right side taller
    assert.ok(Math.abs(tiltsFromLandmarks([v])[0] - 10) < 1e-9);
    assert.throws(() => tiltsFromLandmarks([[[2, 0], [-2, 0], [2, 1], [-2, 1]]]), /vertebra 0/);
  });
});

describe('spine phantom Cobb angles', () => {
  it('recomputes the stored angles from the landmarks (flat 68×2 form too)', () => {
    for (let k = 0; k < 20; k++) {
      const s = samplePhantomSpec(createRng(k), { variant: 'spine' });
      const ph = generatePhantom(s, createRng(s.seed), { size: 64, masks: false });
      const flat = ph.meta.landmarks!.flatMap((c) => c.flat());
      assert.equal(flat.length, 17 * 4 * 2);
      const c = cobbFromLandmarks(flat);
      for (const key of ['pt', 'mt', 'tl'] as const) assert.ok(Math.abs(c[key] - s.spine!.cobb[key]) < 1e-6);
    }
  });

  // binary masks quantise near-horizontal endplates: at 1024 px a vertebra is ~60 px wide, enough for < 1° per vertebra
  it('recovers the angles from the drawn vertebrae within ~1°', function () {
    this.timeout(60000);
    const size = 1024;
    let worst = 0;
    for (let k = 0; k < 12; k++) {
      const s = samplePhantomSpec(createRng(50 + k), { variant: 'spine' });
      const ph = generatePhantom(s, createRng(s.seed), { size });
      const tilts = SPINE_LEVELS.map((lvl) => maskTilt(ph.masks.get(lvl)!, size));
      const c = cobbFromTilts(tilts);
      for (const key of ['pt', 'mt', 'tl'] as const) worst = Math.max(worst, Math.abs(c[key] - s.spine!.cobb[key]));
      const t0 = tiltsFromLandmarks(s.spine!.landmarks);
      tilts.forEach((t, i) => assert.ok(Math.abs(t - t0[i]) < 1, `${SPINE_LEVELS[i]}: drawn tilt ${t.toFixed(2)}° vs ${t0[i].toFixed(2)}°`));
    }
    assert.ok(worst < 1, `worst Cobb error from masks ${worst.toFixed(2)}°`);
  });
});
