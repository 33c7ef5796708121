/**
 * Linear warm-up then linear decay to zero (the schedule of the paper's adapter training; mmseg's `LinearLR` warm-up +
 * `PolyLR(power=1)`): lr(t) = base·(t+1)/W for t < W, then base·(T − t)/(T − W).
 */
export function warmupLinearLr(step: number, totalSteps: number, warmupSteps: number, base: number): number {
  if (totalSteps < 1) throw new Error(`warmupLinearLr: totalSteps ${totalSteps} < 1`);
  const w = Math.min(Math.max(0, Math.floor(warmupSteps)), totalSteps - 1);
  if (step < w) return (base * (step + 1)) / w;
  return (base * (totalSteps - step)) / Math.max(1, totalSteps - w);
}
