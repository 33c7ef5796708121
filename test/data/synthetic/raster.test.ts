/**
 * Rasterisation primitives against closed forms: ellipse area πab, polygon area (shoelace), projected ellipsoid
 * volume (2/3)πab·amount, blur conserving an impulse's mass, the cortical tube profile.
 */
import { strict as assert } from 'assert';
import { blur121, fillConvexPolygon, fillEllipse, tubeProfile } from '../../../lib/data/synthetic/raster';

const sum = (a: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; };

describe('raster primitives', () => {
  it('fillEllipse: mask area ≈ πab and ellipsoid line integrals sum to (2/3)πab·amount', () => {
    const S = 200;
    const att = new Float32Array(S * S), mask = new Uint8Array(S * S);
    fillEllipse(att, S, 100.3, 97.8, 40, 22, 0.6, 0.5, { mask });
    assert.ok(Math.abs(sum(mask) / (Math.PI * 40 * 22) - 1) < 0.01);
    assert.ok(Math.abs(sum(att) / ((2 / 3) * Math.PI * 40 * 22 * 0.5) - 1) < 0.01);
  });

  it('fillConvexPolygon: mask area ≈ shoelace area (rotated rectangle)', () => {
    const S = 120;
    const a = 0.3, c = Math.cos(a), s = Math.sin(a);
    const pts = [[-30, -12], [30, -12], [30, 12], [-30, 12]].flatMap(([x, y]) => [60 + x * c - y * s, 60 + x * s + y * c]);
    const mask = new Uint8Array(S * S);
    fillConvexPolygon(null, S, pts, 1, mask);
    assert.ok(Math.abs(sum(mask) - 60 * 24) < 0.02 * 60 * 24);
  });

  it('blur121 conserves the mass of an interior impulse and spreads it with variance 0.5 px² per pass', () => {
    const S = 31;
    const img = new Float32Array(S * S), tmp = new Float32Array(S * S);
    img[15 * S + 15] = 1;
    blur121(img, S, 4, tmp);
    assert.ok(Math.abs(sum(img) - 1) < 1e-6);
    let vx = 0;
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) vx += img[y * S + x] * (x - 15) ** 2;
    assert.ok(Math.abs(vx - 2) < 1e-5, `variance ${vx}`);
  });

  it('tubeProfile is brighter at the cortex than at the centre and zero outside', () => {
    assert.ok(tubeProfile(0.85) > tubeProfile(0));
    assert.equal(tubeProfile(1), 0);
    assert.equal(tubeProfile(1.2), 0);
  });
});
