/**
 * p-value annotation for figures and tables, in the style of the paper's "p ≤ 1e-5" brackets.
 * Rule (digits = 2 significant, floor = 1e-5 by default):
 *   p ≤ floor        → "p ≤ 1e-5"     (the floor itself, never a smaller number: tiny p are not meaningful)
 *   floor < p < 1e-3 → "p = 3.2e-4"   (scientific, `digits` significant digits)
 *   1e-3 ≤ p < 1     → "p = 0.032"    (fixed, `digits` significant digits, e.g. 0.0012, 0.032, 0.41)
 *   p = 1            → "p = 1"
 * The ≤ / = characters are Unicode; pass { ascii: true } for "<=".
 * @example formatP(3e-7) // "p ≤ 1e-5";  formatP(0.0321) // "p = 0.032"
 */
export function formatP(p: number, opts: { floor?: number; digits?: number; ascii?: boolean } = {}): string {
  const floor = opts.floor ?? 1e-5;
  const digits = opts.digits ?? 2;
  if (!(p >= 0 && p <= 1)) throw new Error(`formatP: p is ${p}; expected a probability in [0, 1]`);
  if (!(floor > 0 && floor < 1)) throw new Error(`formatP: floor is ${floor}; expected a value in (0, 1)`);
  if (!Number.isInteger(digits) || digits < 1 || digits > 6) throw new Error(`formatP: digits is ${digits}; expected 1–6`);
  const le = opts.ascii ? '<=' : '≤';
  if (p <= floor) return `p ${le} ${compactExp(floor)}`;
  if (p === 1) return 'p = 1';
  if (p < 1e-3) {
    const [mant, exp] = p.toExponential(digits - 1).split('e');
    return `p = ${mant}e${exp.replace('+', '')}`;
  }
  return `p = ${Number(p.toPrecision(digits)).toString()}`;
}

/** 1e-5 rather than 1.0e-5 / 0.00001. */
function compactExp(x: number): string {
  const [mant, exp] = x.toExponential().split('e');
  return `${mant}e${exp.replace('+', '')}`;
}
