/**
 * Confidence ellipse of a bivariate sample (for Fig S4: in-domain vs out-of-domain score per seed, per encoder):
 * the region mean ± sqrt(chi2_2(level)) · Σ^{1/2} of the sample covariance, drawn as a closed polygon.
 */
export interface EllipsePoint { x: number; y: number; order: number }

export function confidenceEllipse(xs: readonly number[], ys: readonly number[], level = 0.95, segments = 64): EllipsePoint[] {
  const n = xs.length;
  if (n !== ys.length) throw new Error(`confidenceEllipse: length mismatch (${n} vs ${ys.length})`);
  if (n < 2) throw new Error('confidenceEllipse: needs at least 2 points');
  if (!(level > 0 && level < 1)) throw new Error(`invalid level: ${level}`);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2; syy += (ys[i] - my) ** 2; sxy += (xs[i] - mx) * (ys[i] - my);
  }
  sxx /= n - 1; syy /= n - 1; sxy /= n - 1;
  // eigen-decomposition of the 2x2 covariance
  const tr = sxx + syy;
  const det = sxx * syy - sxy * sxy;
  const disc = Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  const l1 = tr / 2 + disc;
  const l2 = Math.max(0, tr / 2 - disc);
  const theta = Math.abs(sxy) < 1e-300 ? (sxx >= syy ? 0 : Math.PI / 2) : Math.atan2(l1 - sxx, sxy);
  const k = Math.sqrt(-2 * Math.log(1 - level)); // chi-square(2 dof) quantile, closed form
  const a = k * Math.sqrt(l1), b = k * Math.sqrt(l2);
  const pts: EllipsePoint[] = [];
  for (let i = 0; i <= segments; i++) {
    const t = (2 * Math.PI * i) / segments;
    const ex = a * Math.cos(t), ey = b * Math.sin(t);
    pts.push({ x: mx + ex * Math.cos(theta) - ey * Math.sin(theta), y: my + ex * Math.sin(theta) + ey * Math.cos(theta), order: i });
  }
  return pts;
}
